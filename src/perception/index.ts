// Sensory perception helpers: pose estimation, obstacle grouping, status aggregation.
export * from './pose-ekf.js';
export * from './group-obstacles.js';
export * from './aggregate-status.js';
