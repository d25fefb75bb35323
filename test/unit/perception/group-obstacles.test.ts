import { describe, expect, it } from 'vitest';
import { groupObstaclePoints } from '../../../src/perception/index.js';

describe('groupObstaclePoints', () => {
  it('joins touching cells into one object and keeps separate clusters apart', () => {
    const rock = [{ x: 1.1, y: 1.1 }, { x: 1.9, y: 1.2 }, { x: 2.2, y: 1.8 }, { x: 2.6, y: 2.4 }];
    const wall = [{ x: 8.2, y: 0.5 }, { x: 8.4, y: 1.5 }, { x: 8.5, y: 2.5 }];
    const groups = groupObstaclePoints([...wall, ...rock], { cellSize: 1 });
    expect(groups).toHaveLength(2);
    const [b, a] = groups; // cell order (row, then column): the wall's (8,0) comes first
    expect(a.points).toBe(4);
    expect(a.centroid.x).toBeCloseTo((1.1 + 1.9 + 2.2 + 2.6) / 4, 12);
    expect(b.cells).toEqual(['8,0', '8,1', '8,2']);
    expect(b.min).toEqual({ x: 8.2, y: 0.5 });
    expect(b.radius).toBeGreaterThan(0.9);
  });

  it('drops lone noise returns with minPoints', () => {
    const pts = [{ x: 0.5, y: 0.5 }, { x: 0.6, y: 0.4 }, { x: 5.5, y: 5.5 }];
    expect(groupObstaclePoints(pts, { cellSize: 1, minPoints: 2 }).map((g) => g.points)).toEqual([2]);
  });

  it('asks for a positive cell size', () => {
    expect(() => groupObstaclePoints([], { cellSize: 0 })).toThrow(/cellSize must be > 0/);
  });
});
