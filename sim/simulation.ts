import type { Random } from '../src/time/random.js';
import { discHitsObstacle, nearestObstacleBearing } from './rover/collision.js';
import { approach, clampSpeed, wheelsFromTwist, wrapAngle } from './rover/kinematics.js';
import type { SensorValues } from './rover/points.js';
import { createRoverParams, type RoverParams, type RoverParamsInput } from './rover/rover-params.js';
import { Sampler } from './rover/sampler.js';
import { cliffAhead, quantize, quantizeHeading, rayAngles, readRanges } from './rover/sensor-model.js';
import type { ScenarioEvent } from './scenario/scenario-schema.js';
import type { Actuators, SimEvent, SimEventKind, SimTruth, SimulationOptions } from './sim-types.js';
import type { World } from './world/world.js';

const CONTACT_MARGIN = 0.01;

/**
 * The rover world, stepped by explicit time: `step(dtMs, actuators)` advances physics,
 * battery and sampling; `readSensors(now)` returns noisy readings named as in
 * {@link roverPoints}. Reads no clock; every random draw comes from forks of `random`
 * (one per sensor), so the same seed and the same calls give the same run.
 */
export class Simulation {
  readonly world: World;
  readonly params: RoverParams;
  private readonly events: SimEvent[] = [];
  private readonly dropouts: Array<Extract<ScenarioEvent, { kind: 'range_dropout' }>>;
  private readonly estops: Array<Extract<ScenarioEvent, { kind: 'estop' }>>;
  private readonly rangeRandom: Random;
  private readonly odomRandom: Random;
  private readonly fixRandom: Random;
  private readonly headingRandom: Random;
  private readonly angles: Float64Array;
  private readonly odomScale: [number, number];
  private readonly headingBias: number;
  private readonly wheelCmd: [number, number] = [0, 0];
  private readonly pathSpacing: number;
  private readonly pathPoints: Array<[number, number]> = [];
  private timeMs = 0;
  private x: number;
  private y: number;
  private theta: number;
  private vl = 0;
  private vr = 0;
  private groundV = 0;
  private groundW = 0;
  private odomL = 0;
  private odomR = 0;
  private energyWh: number;
  private batteryMin: number;
  private usedWh = 0;
  private chargedWh = 0;
  private distance = 0;
  private collisions = 0;
  private contact = false;
  private bumpL = false;
  private bumpR = false;
  private charging = false;
  private depleted = false;
  private lost = false;
  private lostReason: string | undefined;
  private manualEstop = false;
  private estopOn = false;
  private dropoutOn: Extract<ScenarioEvent, { kind: 'range_dropout' }> | undefined;
  private readonly sampler: Sampler;
  private readonly seen: Uint8Array;
  private fixX: number;
  private fixY: number;
  private fixMs = Number.NEGATIVE_INFINITY;

  constructor(world: World, roverParams: RoverParams | RoverParamsInput, random: Random, options: SimulationOptions = {}) {
    this.world = world;
    this.params = createRoverParams(roverParams as RoverParamsInput);
    const p = this.params;
    this.rangeRandom = random.fork('range');
    this.odomRandom = random.fork('odometry');
    this.fixRandom = random.fork('fix');
    this.headingRandom = random.fork('heading');
    const calib = random.fork('calibration');
    this.odomScale = [calib.normal(1, p.odometry.scale_sd), calib.normal(1, p.odometry.scale_sd)];
    this.headingBias = calib.normal(0, p.heading.bias_sd);
    this.angles = rayAngles(p.range);
    this.x = world.start.x;
    this.y = world.start.y;
    this.theta = world.start.theta;
    this.fixX = this.x;
    this.fixY = this.y;
    this.energyWh = p.battery.capacity_wh * p.battery.initial;
    this.batteryMin = p.battery.initial;
    this.dropouts = (options.events ?? []).filter((e) => e.kind === 'range_dropout');
    this.estops = (options.events ?? []).filter((e) => e.kind === 'estop');
    this.pathSpacing = options.pathSpacingM ?? 0.05;
    this.sampler = new Sampler(p.sample.radius_m, p.sample.duration_s, (kind, message, target) => this.log(kind, message, target));
    this.pathPoints.push([this.x, this.y]);
    this.seen = new Uint8Array(world.width * world.height);
    if (discHitsObstacle(world, this.x, this.y, p.radius)) {
      throw new Error(
        `Simulation: the rover (radius ${p.radius} m) at start (${this.x}, ${this.y}) overlaps an obstacle in map "${world.name}"; move the start`,
      );
    }
    this.updateWindows();
    this.takeFix();
  }

  /** Sim time since start (ms). */
  get now(): number {
    return this.timeMs;
  }

  /** Presses or releases the emergency stop (an operator action, on top of scenario e-stop windows). */
  setEstop(on: boolean): void {
    this.manualEstop = on;
  }

  /** Advances the world by `dtMs` with the given actuator values. */
  step(dtMs: number, act: Actuators): void {
    if (!(dtMs > 0)) return;
    const p = this.params;
    const dt = dtMs / 1000;
    this.timeMs += dtMs;
    this.updateWindows();
    if (this.lost) {
      this.vl = this.vr = this.groundV = this.groundW = 0;
      return;
    }
    if (this.estopOn || this.depleted) {
      this.wheelCmd[0] = this.wheelCmd[1] = 0;
    } else if (act.left !== undefined && act.right !== undefined) {
      this.wheelCmd[0] = clampSpeed(act.left, p.max_wheel_speed);
      this.wheelCmd[1] = clampSpeed(act.right, p.max_wheel_speed);
    } else {
      wheelsFromTwist(clampSpeed(act.v ?? 0, 1e6), clampSpeed(act.w ?? 0, 1e6), p.wheel_base, p.max_wheel_speed, this.wheelCmd);
    }
    if (this.estopOn) {
      // The e-stop cuts the motors: the wheels brake at once, not at the acceleration limit.
      this.vl = this.vr = 0;
    } else {
      this.vl = approach(this.vl, this.wheelCmd[0], p.max_accel * dt);
      this.vr = approach(this.vr, this.wheelCmd[1], p.max_accel * dt);
    }
    this.move(dt);
    this.drainBattery(dt);
    this.sampler.update(this.timeMs, act.sample === true, this.isStopped(), this.x, this.y, this.world.targets);
    this.updatePath();
  }

  private move(dt: number): void {
    const p = this.params;
    const w = this.world;
    const soft = w.softAt(this.x, this.y);
    const grip = soft ? 1 - p.soft_slip : 1;
    const gl = this.vl * grip;
    const gr = this.vr * grip;
    const v = (gl + gr) / 2;
    const turn = (gr - gl) / p.wheel_base;
    const dTheta = turn * dt;
    const ds = v * dt;
    const mid = this.theta + dTheta / 2;
    const cx = Math.cos(mid);
    const sy = Math.sin(mid);
    let f = 1;
    let blocked = false;
    if (ds !== 0 && discHitsObstacle(w, this.x + ds * cx, this.y + ds * sy, p.radius)) {
      // Find how far the rover gets before touching, so it stops against the obstacle.
      blocked = true;
      let lo = 0;
      let hi = 1;
      for (let k = 0; k < 14; k++) {
        const m = (lo + hi) / 2;
        if (discHitsObstacle(w, this.x + m * ds * cx, this.y + m * ds * sy, p.radius)) hi = m;
        else lo = m;
      }
      f = lo;
    }
    this.x += f * ds * cx;
    this.y += f * ds * sy;
    this.theta = wrapAngle(this.theta + dTheta);
    this.distance += Math.abs(f * ds);
    this.addOdometry(this.vl * dt * (blocked ? f : 1), this.vr * dt * (blocked ? f : 1));
    this.groundV = (f * ds) / dt;
    this.groundW = turn;
    const bearing = nearestObstacleBearing(w, this.x, this.y, p.radius + CONTACT_MARGIN);
    const touching = !Number.isNaN(bearing);
    if (touching) {
      const rel = wrapAngle(bearing - this.theta);
      const front = Math.abs(rel) <= (100 * Math.PI) / 180;
      const both = (15 * Math.PI) / 180;
      this.bumpL = front && rel >= -both;
      this.bumpR = front && rel <= both;
    } else {
      this.bumpL = this.bumpR = false;
    }
    if (blocked) {
      this.vl = this.vr = 0;
      this.groundV = this.groundW = 0;
      // One collision per contact: pushing on against the same obstacle is not counted again
      // until the rover has backed away from it.
      if (!this.contact) {
        this.collisions++;
        this.log('collision', `collision at (${this.x.toFixed(2)}, ${this.y.toFixed(2)})`);
      }
      this.contact = true;
    } else if (!touching) {
      this.contact = false;
    }
    if (w.cliffAt(this.x, this.y)) {
      this.lost = true;
      this.lostReason = `drove over a cliff at (${this.x.toFixed(2)}, ${this.y.toFixed(2)})`;
      this.vl = this.vr = this.groundV = this.groundW = 0;
      this.log('lost', `rover lost: ${this.lostReason}`);
    }
  }

  private addOdometry(dl: number, dr: number): void {
    const sd = this.params.odometry.noise_sd;
    this.odomL += dl * this.odomScale[0];
    this.odomR += dr * this.odomScale[1];
    if (sd > 0) {
      if (dl !== 0) this.odomL += this.odomRandom.normal(0, sd * Math.sqrt(Math.abs(dl)));
      if (dr !== 0) this.odomR += this.odomRandom.normal(0, sd * Math.sqrt(Math.abs(dr)));
    }
  }

  private drainBattery(dt: number): void {
    const b = this.params.battery;
    const w = this.world;
    const mean = (Math.abs(this.vl) + Math.abs(this.vr)) / 2;
    let drive = b.drive_w_per_mps * mean;
    if (drive > 0) {
      if (w.softAt(this.x, this.y)) drive *= b.soft_factor;
      const slope = w.slopeAt(this.x, this.y);
      if (slope > 0) drive *= 1 + b.slope_factor * Math.sin((slope * Math.PI) / 180);
    }
    const used = ((b.idle_w + drive) * dt) / 3600;
    this.energyWh -= used;
    this.usedWh += used;
    const stopped = this.isStopped();
    const charging = stopped && !this.lost && this.atBase();
    if (charging !== this.charging) {
      this.charging = charging;
      this.log(charging ? 'charging_started' : 'charging_stopped', charging ? 'charging at the base' : 'left the charger');
    }
    if (charging) {
      const add = Math.min((b.charge_w * dt) / 3600, b.capacity_wh - this.energyWh);
      if (add > 0) {
        this.energyWh += add;
        this.chargedWh += add;
      }
    }
    if (this.energyWh <= 0) {
      this.energyWh = 0;
      if (!this.depleted) {
        this.depleted = true;
        this.log('battery_empty', 'battery empty: the motors stop');
      }
    } else if (this.depleted) {
      this.depleted = false;
    }
    const frac = this.energyWh / b.capacity_wh;
    if (frac < this.batteryMin) this.batteryMin = frac;
  }

  private updatePath(): void {
    const last = this.pathPoints[this.pathPoints.length - 1];
    if (Math.hypot(this.x - last[0], this.y - last[1]) >= this.pathSpacing) this.pathPoints.push([this.x, this.y]);
  }

  private updateWindows(): void {
    const t = this.timeMs / 1000;
    const estop = this.manualEstop || this.estops.some((e) => t >= e.start_s && t < e.end_s);
    if (estop !== this.estopOn) {
      this.estopOn = estop;
      this.log(estop ? 'estop_on' : 'estop_off', estop ? 'emergency stop pressed' : 'emergency stop released');
    }
    const dropout = this.dropouts.find((e) => t >= e.start_s && t < e.end_s);
    if (dropout !== this.dropoutOn) {
      if (dropout) this.log('range_dropout_started', `range finder dropout (${dropout.mode}) until ${dropout.end_s} s`);
      else this.log('range_dropout_ended', 'range finder back');
      this.dropoutOn = dropout;
    }
    const period = 1000 / this.params.fix.rate_hz;
    if (this.timeMs - this.fixMs >= period - 1e-6) this.takeFix();
  }

  private takeFix(): void {
    const sd = this.params.fix.noise_sd;
    this.fixX = this.x + (sd > 0 ? this.fixRandom.normal(0, sd) : 0);
    this.fixY = this.y + (sd > 0 ? this.fixRandom.normal(0, sd) : 0);
    this.fixMs = this.timeMs;
  }

  private isStopped(): boolean {
    const s = this.params.stopped_mps;
    return Math.abs(this.vl) < s && Math.abs(this.vr) < s;
  }

  private atBase(): boolean {
    const b = this.world.base;
    return Math.hypot(this.x - b.x, this.y - b.y) <= b.radius;
  }

  private log(kind: SimEventKind, message: string, target?: string): void {
    const e: SimEvent = { t_s: this.timeMs / 1000, kind, message };
    if (target !== undefined) e.target = target;
    this.events.push(e);
  }

  /**
   * Every input point's current value. `now` (ms, default: sim time) is the reader's clock;
   * it only stamps `fix_t`, so the fix time is on the reader's time base. Range and heading
   * noise is drawn on each call.
   */
  readSensors(now: number = this.timeMs): SensorValues {
    const p = this.params;
    const d = this.dropoutOn;
    const values: SensorValues = {
      range_ok: d === undefined,
      bump_left: this.bumpL,
      bump_right: this.bumpR,
      // Reported at each sensor's resolution, as a device reports them.
      odom_left: quantize(this.odomL, p.odometry.resolution_m),
      odom_right: quantize(this.odomR, p.odometry.resolution_m),
      fix_x: quantize(this.fixX, p.fix.resolution_m),
      fix_y: quantize(this.fixY, p.fix.resolution_m),
      fix_t: quantize((now - (this.timeMs - this.fixMs)) / 1000, 0.001),
      heading: quantizeHeading(wrapAngle(this.theta + this.headingBias + (p.heading.noise_sd > 0 ? this.headingRandom.normal(0, p.heading.noise_sd) : 0)), p.heading.resolution_rad),
      battery: quantize(this.energyWh / p.battery.capacity_wh, p.battery.resolution),
      charging: this.charging,
      at_base: this.atBase(),
      cliff: this.lost || cliffAhead(this.world, this.x, this.y, this.theta, p.radius, p.cliff_lookahead_m),
      slope_deg: this.world.slopeAt(this.x, this.y),
      soft: this.world.softAt(this.x, this.y),
      estop: this.estopOn,
      sampling: this.sampler.sampling,
      sample_ok: this.sampler.lastOk,
    };
    if (d === undefined || d.mode === 'nan') {
      const drop = d === undefined ? 0 : d.fraction;
      values.range = readRanges(this.world, this.x, this.y, this.theta, this.angles, p.range, this.rangeRandom, drop, this.seen);
    }
    return values;
  }

  /** Ground truth now (a fresh object). */
  truth(): SimTruth {
    const cap = this.params.battery.capacity_wh;
    const t: SimTruth = {
      t_s: this.timeMs / 1000,
      pose: { x: this.x, y: this.y, theta: this.theta },
      v: this.groundV,
      w: this.groundW,
      battery: this.energyWh / cap,
      battery_min: this.batteryMin,
      battery_wh: this.energyWh,
      energy_used_wh: this.usedWh,
      energy_charged_wh: this.chargedWh,
      distance_m: this.distance,
      collisions: this.collisions,
      targets_total: this.world.targets.length,
      targets_sampled: this.sampler.sampled,
      charging: this.charging,
      at_base: this.atBase(),
      depleted: this.depleted,
      lost: this.lost,
    };
    if (this.lostReason !== undefined) t.lost_reason = this.lostReason;
    return t;
  }

  /** The event log so far, oldest first. */
  eventLog(): readonly SimEvent[] {
    return this.events;
  }

  /**
   * Obstacle cells a range ray has hit so far (1 = seen), a live view: what the rover's
   * sensors could have told it, for drawing "discovered" obstacles when the caller has no
   * better account from the tree's world model.
   */
  seenObstacles(): Uint8Array {
    return this.seen;
  }

  /** The rover's true path, a point each `pathSpacingM` travelled (m). */
  path(): ReadonlyArray<readonly [number, number]> {
    return this.pathPoints;
  }
}
