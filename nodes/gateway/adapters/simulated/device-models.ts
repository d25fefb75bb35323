import type { RawValue } from '../../adapter.js';

/** A device's state: point name → raw value. */
export type DeviceState = Record<string, RawValue>;

/**
 * Dynamics of a simulated device: moves `state` forward by `dtS` seconds, in place.
 * `role(r)` maps a model role (e.g. `level`) to the configured point name.
 */
export type DeviceModel = (state: DeviceState, dtS: number, role: (r: string) => string) => void;

const num = (v: RawValue | undefined): number => (typeof v === 'number' ? v : v === true ? 1 : 0);

/**
 * A tank filled by a pump and emptied through a drain valve (Torricelli outflow).
 * Roles: `pump` (out, 0..1 or bool), `drain` (out, bool), `level` (in, m, 0..2).
 */
export const tankModel: DeviceModel = (s, dt, role) => {
  const level = num(s[role('level')]);
  const inflow = 0.1 * num(s[role('pump')]);
  const outflow = s[role('drain')] === true ? 0.08 * Math.sqrt(Math.max(0, level)) : 0;
  s[role('level')] = Math.min(2, Math.max(0, level + (inflow - outflow) * dt));
};

/**
 * A DC motor as a first-order lag: speed → 10·voltage with a 0.2 s time constant.
 * Roles: `voltage` (out, V), `speed` (in, rad/s).
 */
export const motorModel: DeviceModel = (s, dt, role) => {
  const speed = num(s[role('speed')]);
  const target = 10 * num(s[role('voltage')]);
  s[role('speed')] = speed + (target - speed) * Math.min(1, dt / 0.2);
};

/** Inputs named `<output>_fb` read back their output; nothing else moves. */
export const echoModel: DeviceModel = (s) => {
  for (const key of Object.keys(s)) if (key.endsWith('_fb') && s[key.slice(0, -3)] !== undefined) s[key] = s[key.slice(0, -3)];
};

export const deviceModels = { tank: tankModel, motor: motorModel, echo: echoModel } as const;
