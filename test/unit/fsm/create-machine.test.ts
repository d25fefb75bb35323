import { describe, expect, expectTypeOf, it } from 'vitest';
import { createMachine, type FsmSnapshot } from '../../../src/fsm/index.js';

type In = { go: boolean; speed: number };
const IN: In = { go: false, speed: 0 };
const GO: In = { go: true, speed: 2 };

function light() {
  return createMachine<'red' | 'green' | 'amber', In, { count: number }, string>({
    id: 'light',
    initial: 'red',
    context: { count: 0 },
    states: {
      red: {
        entry: [{ type: 'enter-red' }],
        exit: [{ type: 'leave-red' }],
        output: 'stop',
        on: [{ to: 'green', when: (i) => i.go, actions: [{ type: 'count', assign: (c) => ({ count: c.count + 1 }) }] }],
      },
      green: {
        entry: [{ type: 'enter-green' }],
        output: (i, _c, elapsed) => `go ${i.speed} for ${elapsed}`,
        on: [{ to: 'amber', after: 100 }],
      },
      amber: { output: 'slow', on: [{ to: 'red', after: 20, when: (i) => !i.go }] },
    },
  });
}

describe('createMachine', () => {
  it('starts in the initial state with its entry actions run', () => {
    const m = light();
    const s = m.initial(5, IN);
    expect(s).toMatchObject({ value: 'red', enteredAt: 5, context: { count: 0 }, actions: ['enter-red'], transitions: 0 });
    expect(m.output(s, IN, 5)).toBe('stop');
  });

  it('returns the same snapshot when no guard holds', () => {
    const m = light();
    const s = m.initial(0, IN);
    expect(m.transition(s, IN, 50)).toBe(s);
  });

  it('takes a guarded transition, running exit, transition and entry actions in order', () => {
    const m = light();
    const s = m.transition(m.initial(0, IN), GO, 10);
    expect(s).toMatchObject({ value: 'green', enteredAt: 10, context: { count: 1 }, actions: ['leave-red', 'count', 'enter-green'], transitions: 1 });
    expect(m.output(s, GO, 40)).toBe('go 2 for 30');
  });

  it('fires a timer transition only once the time in state reaches it', () => {
    const m = light();
    const g = m.transition(m.initial(0, IN), GO, 10);
    expect(m.transition(g, GO, 109.9)).toBe(g);
    const a = m.transition(g, GO, 110);
    expect(a.value).toBe('amber');
    expect(a.enteredAt).toBe(110);
  });

  it('enters a pure timer transition at its deadline, so sparse steps catch up on timed chains', () => {
    const m = createMachine<'a' | 'b' | 'c', null, null, null>({
      id: 'timed',
      initial: 'a',
      context: null,
      states: {
        a: { output: null, on: [{ to: 'b', after: 10 }] },
        b: { output: null, on: [{ to: 'c', after: 20 }] },
        c: { output: null },
      },
    });
    expect(m.transition(m.initial(0, null), null, 15)).toMatchObject({ value: 'b', enteredAt: 10 });
    expect(m.transition(m.initial(0, null), null, 30)).toMatchObject({ value: 'c', enteredAt: 30 });
    expect(m.transition(m.initial(0, null), null, 100)).toMatchObject({ value: 'c', enteredAt: 30, transitions: 2 });
  });

  it('needs both timer and guard when a transition has both', () => {
    const m = light();
    const a = m.transition(m.transition(m.initial(0, IN), GO, 0), GO, 100);
    expect(m.transition(a, GO, 200).value).toBe('amber');
    expect(m.transition(a, IN, 119).value).toBe('amber');
    expect(m.transition(a, IN, 120).value).toBe('red');
  });

  it('settles a chain of transitions within one step, bounded by maxMicrosteps', () => {
    const chain = (maxMicrosteps: number) =>
      createMachine<'a' | 'b' | 'c', boolean, null, null>({
        id: 'chain',
        initial: 'a',
        context: null,
        maxMicrosteps,
        states: {
          a: { output: null, on: [{ to: 'b', when: (x) => x }] },
          b: { output: null, on: [{ to: 'c', when: (x) => x }] },
          c: { output: null, on: [{ to: 'a', when: (x) => x }] },
        },
      });
    const m4 = chain(4);
    expect(m4.transition(m4.initial(0, false), true, 0)).toMatchObject({ value: 'b', transitions: 4 });
    const m2 = chain(2);
    expect(m2.transition(m2.initial(0, false), true, 0)).toMatchObject({ value: 'c', transitions: 2 });
  });

  it('rejects configs with errors naming the state and transition', () => {
    const base = { id: 'bad', context: null, states: { a: { output: 1 } } };
    expect(() => createMachine({ ...base, initial: 'z' as 'a' })).toThrowErrorMatchingInlineSnapshot(
      `[Error: fsm "bad": initial: "z" is not a state; states are "a"]`,
    );
    expect(() =>
      createMachine<'a', null, null, number>({ ...base, initial: 'a', states: { a: { output: 1, on: [{ to: 'b' as 'a', after: 1 }] } } }),
    ).toThrowErrorMatchingInlineSnapshot(`[Error: fsm "bad": states.a.on[0]: target "b" is not a state; states are "a"]`);
    expect(() => createMachine<'a', null, null, number>({ ...base, initial: 'a', states: { a: { output: 1, on: [{ to: 'a' }] } } })).toThrowErrorMatchingInlineSnapshot(
      `[Error: fsm "bad": states.a.on[0]: a transition needs a condition: give it "when" (a guard), "after" (ms in state), or both]`,
    );
    expect(() =>
      createMachine<'a', null, null, number>({ ...base, initial: 'a', states: { a: { output: 1, on: [{ to: 'a', after: -1 }] } } }),
    ).toThrowErrorMatchingInlineSnapshot(`[Error: fsm "bad": states.a.on[0]: "after" must be a finite number of ms >= 0, got -1]`);
  });

  it('types states, context and output from the config', () => {
    const m = light();
    const s = m.initial(0, IN);
    expectTypeOf(s).toEqualTypeOf<FsmSnapshot<'red' | 'green' | 'amber', { count: number }>>();
    expectTypeOf(m.output(s, IN, 0)).toEqualTypeOf<string>();
    // Caught twice: by the compiler, and at load for configs built from untyped data.
    expect(() =>
      createMachine<'a', null, null, number>({
        id: 't',
        initial: 'a',
        context: null,
        // @ts-expect-error: "b" is not a state
        states: { a: { output: 1, on: [{ to: 'b', after: 1 }] } },
      }),
    ).toThrow(/target "b" is not a state/);
  });
});
