// Value judgment: weighted multi-objective scoring of alternatives, with explanations.
export * from './weights.js';
export * from './score-alternatives.js';
export * from './choose-target.js';
export * from './choose-path.js';
export * from './return-to-charge.js';
