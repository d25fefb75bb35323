// World model helpers: an occupancy map fed by range sensing, and plan prediction.
export * from './occupancy-map.js';
export * from './predict-plan.js';
export * from './grid-path-points.js';
