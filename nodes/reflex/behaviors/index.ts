import type { BehaviorRegistry } from '../../../src/subsumption/behavior.js';
import type { ReflexInput } from '../reflex-signals.js';
import { avoidBehavior } from './avoid-behavior.js';
import { bumpBehavior } from './bump-behavior.js';
import { estopBehavior } from './estop-behavior.js';
import { followBehavior } from './follow-behavior.js';
import { hazardBehavior } from './hazard-behavior.js';
import { wanderBehavior } from './wander-behavior.js';
import { watchdogBehavior } from './watchdog-behavior.js';

export { avoidBehavior, bumpBehavior, estopBehavior, followBehavior, hazardBehavior, wanderBehavior, watchdogBehavior };

/** Every ready reflex behavior type, by the `type` name configs use. */
export const reflexBehaviorTypes: BehaviorRegistry<ReflexInput, number> = {
  estop: estopBehavior,
  hazard: hazardBehavior,
  bump: bumpBehavior,
  avoid: avoidBehavior,
  watchdog: watchdogBehavior,
  wander: wanderBehavior,
  follow: followBehavior,
};
