export { fsmBehavior } from './behavior.js';
export type { Behavior, BehaviorContext, BehaviorRegistry, BehaviorType, OutputValue, Proposal } from './behavior.js';
export { createSubsumption } from './create-subsumption.js';
export type { ArbitrationResult, OutputOwner, Subsumption, SubsumptionOptions } from './create-subsumption.js';
export { compileWiring } from './compile-wiring.js';
export type { CompiledOutput, CompiledWiring } from './compile-wiring.js';
export {
  behaviorConfigSchema,
  outputConfigSchema,
  subsumptionConfigSchema,
  wireConfigSchema,
} from './subsumption-config.js';
export type { BehaviorConfig, SubsumptionConfig, SubsumptionConfigInput, WireConfig } from './subsumption-config.js';
export { SubsumptionConfigError, issuePath } from './subsumption-config-error.js';
export type { ConfigIssue } from './subsumption-config-error.js';
