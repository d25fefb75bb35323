import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { defineNodeKind } from '../../../src/node/node-kind.js';

describe('defineNodeKind', () => {
  it('infers params, verbs, world, percept and scores types for every part', () => {
    const kind = defineNodeKind({
      kind: 'k',
      description: 'type test',
      params: z.object({ gain: z.number().default(2) }),
      verbs: { go: z.object({ to: z.number() }), stop: z.object({}) },
      world: (ctx) => ({ gain: ctx.params.gain, seen: 0 }),
      create: () => ({
        perceive: (input) => input.children,
        judge: (world) => ({ cost: world.gain }),
        behave: (world, scores, input) => {
          expectTypeOf(world).toEqualTypeOf<{ gain: number; seen: number }>();
          expectTypeOf(scores).toEqualTypeOf<{ cost: number }>();
          if (input.task?.verb === 'go') expectTypeOf(input.task.args).toEqualTypeOf<{ to: number }>();
          return {};
        },
      }),
    });
    expect(kind.params.parse({})).toEqual({ gain: 2 });
  });
});
