// Deliberative planning: HTN task planning and grid path planning. Pure: no clock, no I/O.
export * from './htn/htn-domain.js';
export * from './htn/htn-planner.js';
export * from './htn/plan-monitor.js';
export * from './htn/plan-view.js';
export * from './htn/rover-domain.js';
export * from './grid/cost-map.js';
export * from './grid/indexed-heap.js';
export * from './grid/astar.js';
export * from './grid/dstar-lite.js';
