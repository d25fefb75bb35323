export { createMachine } from './create-machine.js';
export type { FsmAction, FsmConfig, FsmGuard, FsmOutput, FsmSnapshot, FsmStateConfig, FsmTransition, Machine } from './machine-types.js';
