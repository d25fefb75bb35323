export { createReflexCore, ownerNames } from './reflex-core.js';
export type { ReflexCore, ReflexCoreOptions, ReflexStepInput, ReflexStepResult } from './reflex-core.js';
export { reflexParamsSchema, DEFAULT_REFLEX_SUBSUMPTION } from './reflex-params.js';
export type { ReflexParams, ReflexParamsInput } from './reflex-params.js';
export { REFLEX_OUTPUTS, REFLEX_SENSORS, parentCommandSchema } from './reflex-signals.js';
export type { ParentCommand, ReflexFault, ReflexInput, ReflexSensorName, ReflexSensors } from './reflex-signals.js';
export { checkSensors } from './sensor-check.js';
export type { SensorCheck } from './sensor-check.js';
export {
  reflexBehaviorTypes,
  avoidBehavior,
  bumpBehavior,
  estopBehavior,
  followBehavior,
  hazardBehavior,
  wanderBehavior,
  watchdogBehavior,
} from './behaviors/index.js';
