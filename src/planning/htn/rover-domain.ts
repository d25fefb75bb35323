import { type HtnDomain, type StepCost, type TaskArgs, type TaskCall, defineDomain } from './htn-domain.js';

/** The mission node's world model at its level: where the rover is, its battery, the targets. */
export interface RoverState {
  /** Named location (a waypoint name, or a cell such as `c:12,30`: the distance function decides). */
  readonly position: string;
  /** Battery, as a fraction of full (0..1). */
  readonly battery: number;
  /** Where samples are delivered; the rover can always recharge there. */
  readonly base: string;
  /** Other places the rover can recharge. */
  readonly chargers: readonly string[];
  /** Targets still to sample. */
  readonly targets: readonly string[];
  /** Samples on board, not yet delivered. */
  readonly carrying: readonly string[];
  readonly delivered: readonly string[];
  /** Targets given up because no charger is close enough to reach them and come back. */
  readonly skipped: readonly string[];
  /** How many samples fit on board. */
  readonly capacity: number;
}

/** The rover's abilities, as the mission level models them. */
export interface RoverModel {
  /** Travel distance in metres between two named locations (Infinity when there is no way). */
  distance(from: string, to: string): number;
  /** Cruise speed (m/s). */
  readonly speed: number;
  /** Battery fraction used per metre driven. */
  readonly energyPerMetre: number;
  /** Time (s) and battery fraction to take one sample. */
  readonly sampleS: number;
  readonly sampleEnergy: number;
  /** Time (s) to unload the samples at base. */
  readonly dropS: number;
  /** Battery fraction gained per second on a charger. */
  readonly rechargeRate: number;
  /** Battery fraction to keep in hand on arrival anywhere but a charger. */
  readonly reserve: number;
  /** How many nearest targets to consider as the next one (default 3): wider = better plans, more search. */
  readonly branching?: number;
}

/** The root task of a rover mission: sample every target, deliver, return to base. */
export const roverMission: TaskCall = { task: 'mission' };

const str = (args: TaskArgs, key: string): string => {
  const v = args[key];
  if (typeof v !== 'string') throw new Error(`rover domain: argument "${key}" must be a location name, got ${JSON.stringify(v)}`);
  return v;
};

/** Distances between named points on a plane: a ready `distance` for {@link RoverModel}. */
export function euclideanDistance(points: Readonly<Record<string, { readonly x: number; readonly y: number }>>): (a: string, b: string) => number {
  return (a, b) => {
    const p = points[a];
    const q = points[b];
    if (!p || !q) throw new Error(`rover distance: unknown location "${p ? b : a}"; known: ${Object.keys(points).join(', ')}`);
    return Math.hypot(p.x - q.x, p.y - q.y);
  };
}

/**
 * A rover sampling domain: visit targets (nearest first, backtracking to others), sample
 * them, unload at base when full, recharge when the battery would not last, come home.
 *
 * Operators (the commands a mission node sends to its navigator): `navigate{to}`,
 * `sample{target}`, `drop`, `recharge`, `skip{target}`. Compound tasks: `mission`,
 * `collect{target}`, `go{to}`, `deliver`.
 *
 * Safety rule: a `go` leg is taken directly only if, on arrival, the rover could still reach
 * its nearest charger with the reserve left; otherwise it recharges on the way.
 */
export function createRoverDomain(model: RoverModel): HtnDomain<RoverState> {
  const { distance, speed, energyPerMetre: epm, reserve } = model;
  const branching = model.branching ?? 3;
  const chargersOf = (s: RoverState): string[] => (s.chargers.includes(s.base) ? [...s.chargers] : [s.base, ...s.chargers]);
  const isCharger = (s: RoverState, at: string): boolean => at === s.base || s.chargers.includes(at);
  const nearestChargerEnergy = (s: RoverState, from: string): number => Math.min(...chargersOf(s).map((c) => distance(from, c) * epm));
  const driveCost = (s: RoverState, to: string): StepCost => {
    const d = distance(s.position, to);
    return { durationS: d / speed, energy: d * epm };
  };
  /** A target no charger can serve: even a full battery cannot get there, sample and get back. */
  const unreachable = (s: RoverState, target: string): boolean =>
    2 * nearestChargerEnergy(s, target) + model.sampleEnergy > 1 - reserve;

  return defineDomain<RoverState>({
    name: 'rover',
    operators: {
      navigate: {
        precondition(s, a) {
          const to = str(a, 'to');
          const d = distance(s.position, to);
          if (!Number.isFinite(d)) return `no known way from ${s.position} to ${to}`;
          const left = s.battery - d * epm;
          const floor = isCharger(s, to) ? 0 : reserve;
          return left >= floor || `battery ${pct(s.battery)} is not enough to drive ${Math.round(d)} m to ${to} and keep ${pct(floor)}`;
        },
        effect: (s, a) => ({ ...s, position: str(a, 'to'), battery: s.battery - driveCost(s, str(a, 'to')).energy }),
        cost: (s, a) => driveCost(s, str(a, 'to')),
        label: (a) => `navigate to ${String(a.to)}`,
      },
      sample: {
        precondition(s, a) {
          const t = str(a, 'target');
          if (s.position !== t) return `rover is at ${s.position}, not at ${t}`;
          if (!s.targets.includes(t)) return `${t} is not a target still to sample`;
          if (s.carrying.length >= s.capacity) return `sample store is full (${s.capacity})`;
          return s.battery - model.sampleEnergy >= reserve || `battery ${pct(s.battery)} is too low to sample and keep ${pct(reserve)}`;
        },
        effect: (s, a) => ({
          ...s,
          battery: s.battery - model.sampleEnergy,
          targets: s.targets.filter((t) => t !== a.target),
          carrying: [...s.carrying, str(a, 'target')],
        }),
        cost: () => ({ durationS: model.sampleS, energy: model.sampleEnergy }),
        label: (a) => `sample ${String(a.target)}`,
      },
      drop: {
        precondition: (s) => (s.position === s.base ? s.carrying.length > 0 || 'nothing to unload' : `rover is at ${s.position}, not at base ${s.base}`),
        effect: (s) => ({ ...s, delivered: [...s.delivered, ...s.carrying], carrying: [] }),
        cost: () => ({ durationS: model.dropS, energy: 0 }),
        label: () => 'unload samples at base',
      },
      recharge: {
        precondition: (s) => (isCharger(s, s.position) ? s.battery < 1 || 'battery already full' : `no charger at ${s.position}`),
        effect: (s) => ({ ...s, battery: 1 }),
        cost: (s) => ({ durationS: (1 - s.battery) / model.rechargeRate, energy: -(1 - s.battery) }),
        label: () => 'recharge',
      },
      skip: {
        precondition: (s, a) => unreachable(s, str(a, 'target')) || `${String(a.target)} is reachable; sample it instead`,
        effect: (s, a) => ({ ...s, targets: s.targets.filter((t) => t !== a.target), skipped: [...s.skipped, str(a, 'target')] }),
        cost: () => ({ durationS: 0, energy: 0 }),
        label: (a) => `skip ${String(a.target)} (no charger close enough)`,
      },
    },
    compounds: {
      mission: {
        methods: [
          { name: 'finish', when: (s) => s.targets.length === 0, subtasks: (s) => [{ task: 'deliver' }, { task: 'go', args: { to: s.base } }] },
          { name: 'unload-first', when: (s) => s.carrying.length >= s.capacity, subtasks: () => [{ task: 'deliver' }, roverMission] },
          {
            name: 'skip-unreachable',
            bindings: (s) => s.targets.filter((t) => unreachable(s, t)).map((t) => ({ target: t })),
            subtasks: (_s, a) => [{ task: 'skip', args: a }, roverMission],
          },
          {
            name: 'next-target',
            bindings: (s) =>
              [...s.targets]
                .map((t) => ({ t, d: distance(s.position, t) }))
                .sort((x, y) => x.d - y.d || (x.t < y.t ? -1 : 1))
                .slice(0, branching)
                .map(({ t }) => ({ target: t })),
            subtasks: (_s, a) => [{ task: 'collect', args: a }, roverMission],
          },
        ],
      },
      collect: {
        methods: [{ name: 'go-and-sample', subtasks: (_s, a) => [{ task: 'go', args: { to: str(a, 'target') } }, { task: 'sample', args: a }] }],
      },
      go: {
        methods: [
          { name: 'here', when: (s, a) => s.position === a.to, subtasks: () => [] },
          {
            name: 'direct',
            when: (s, a) => {
              const to = str(a, 'to');
              return isCharger(s, to) || s.battery - driveCost(s, to).energy - nearestChargerEnergy(s, to) >= reserve;
            },
            subtasks: (_s, a) => [{ task: 'navigate', args: a }],
          },
          {
            name: 'charge-here',
            when: (s) => isCharger(s, s.position) && s.battery < 1,
            subtasks: (_s, a) => [{ task: 'recharge' }, { task: 'go', args: a }],
          },
          {
            name: 'via-charger',
            // Only chargers closer to the goal than we are, so the recursion always progresses.
            bindings: (s, a) => {
              const to = str(a, 'to');
              const here = distance(s.position, to);
              return chargersOf(s)
                .filter((c) => c !== s.position && distance(c, to) < here)
                .sort((x, y) => distance(s.position, x) + distance(x, to) - (distance(s.position, y) + distance(y, to)))
                .map((c) => ({ to, via: c }));
            },
            subtasks: (_s, a) => [{ task: 'navigate', args: { to: str(a, 'via') } }, { task: 'recharge' }, { task: 'go', args: { to: str(a, 'to') } }],
          },
        ],
      },
      deliver: {
        methods: [
          { name: 'nothing-on-board', when: (s) => s.carrying.length === 0, subtasks: () => [] },
          { name: 'to-base', subtasks: (s) => [{ task: 'go', args: { to: s.base } }, { task: 'drop' }] },
        ],
      },
    },
  });
}

function pct(x: number): string {
  return `${Math.round(x * 100)}%`;
}
