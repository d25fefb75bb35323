import type { FsmAction, FsmConfig, FsmGuard, FsmSnapshot, FsmStateConfig, Machine } from './machine-types.js';

interface CompiledTransition<S extends string, I, C> {
  readonly to: S;
  readonly target: CompiledState<S, I, C>;
  readonly when: FsmGuard<I, C> | undefined;
  readonly after: number;
  /** exit(source) + transition actions + entry(target), in that order. */
  readonly run: readonly FsmAction<I, C>[];
  /** Types of `run`, computed once so a step allocates no array. */
  readonly types: readonly string[];
}

interface CompiledState<S extends string, I, C> {
  readonly name: S;
  on: CompiledTransition<S, I, C>[];
  readonly output: unknown;
  readonly outputIsFn: boolean;
}

const NO_ACTIONS: readonly string[] = Object.freeze([]);

function fail(id: string, where: string, what: string): never {
  throw new Error(`fsm "${id}": ${where}: ${what}`);
}

function applyActions<I, C>(actions: readonly FsmAction<I, C>[], context: C, input: I, now: number): C {
  let c = context;
  for (let i = 0; i < actions.length; i++) {
    const a = actions[i].assign;
    if (a !== undefined) c = a(c, input, now);
  }
  return c;
}

/**
 * Compiles a machine config, checking it (unknown target, bad timer, missing initial)
 * with errors that name the state and transition. Steps then do no lookups by name and
 * allocate only when a transition is taken.
 */
export function createMachine<S extends string, I, C, O>(config: FsmConfig<S, I, C, O>): Machine<S, I, C, O> {
  const id = config.id;
  const names = Object.keys(config.states) as S[];
  if (names.length === 0) fail(id, 'states', 'a machine needs at least one state');
  if (!(config.initial in config.states)) {
    fail(id, 'initial', `"${config.initial}" is not a state; states are ${names.map((n) => `"${n}"`).join(', ')}`);
  }
  const maxMicrosteps = config.maxMicrosteps ?? 4;
  if (!Number.isInteger(maxMicrosteps) || maxMicrosteps < 1) fail(id, 'maxMicrosteps', `must be an integer >= 1, got ${maxMicrosteps}`);

  const compiled = new Map<S, CompiledState<S, I, C>>();
  for (const name of names) {
    const sc: FsmStateConfig<S, I, C, O> = config.states[name];
    compiled.set(name, { name, on: [], output: sc.output, outputIsFn: typeof sc.output === 'function' });
  }
  for (const name of names) {
    const sc = config.states[name];
    const state = compiled.get(name)!;
    (sc.on ?? []).forEach((t, i) => {
      const where = `states.${name}.on[${i}]`;
      const target = compiled.get(t.to);
      if (target === undefined) fail(id, where, `target "${t.to}" is not a state; states are ${names.map((n) => `"${n}"`).join(', ')}`);
      const after = t.after ?? 0;
      if (!Number.isFinite(after) || after < 0) fail(id, where, `"after" must be a finite number of ms >= 0, got ${t.after}`);
      if (t.when === undefined && t.after === undefined) {
        fail(id, where, 'a transition needs a condition: give it "when" (a guard), "after" (ms in state), or both');
      }
      const run = [...(sc.exit ?? []), ...(t.actions ?? []), ...(config.states[t.to].entry ?? [])];
      state.on.push({ to: t.to, target, when: t.when, after, run, types: run.length === 0 ? NO_ACTIONS : Object.freeze(run.map((a) => a.type)) });
    });
  }

  function output(snapshot: FsmSnapshot<S, C>, input: I, now: number): O {
    const s = compiled.get(snapshot.value);
    if (s === undefined) fail(id, 'output', `snapshot state "${snapshot.value}" is not a state of this machine`);
    if (!s.outputIsFn) return s.output as O;
    return (s.output as (input: I, context: C, elapsedMs: number, now: number) => O)(input, snapshot.context, now - snapshot.enteredAt, now);
  }

  function transition(snapshot: FsmSnapshot<S, C>, input: I, now: number): FsmSnapshot<S, C> {
    let state = compiled.get(snapshot.value);
    if (state === undefined) fail(id, 'transition', `snapshot state "${snapshot.value}" is not a state of this machine`);
    let context = snapshot.context;
    let enteredAt = snapshot.enteredAt;
    let taken = 0;
    let actions: readonly string[] = NO_ACTIONS;
    for (let step = 0; step < maxMicrosteps; step++) {
      const elapsed = now - enteredAt;
      const on = state.on;
      let chosen: CompiledTransition<S, I, C> | undefined;
      for (let i = 0; i < on.length; i++) {
        const t = on[i];
        if (elapsed < t.after) continue;
        if (t.when !== undefined && !t.when(input, context, elapsed, now)) continue;
        chosen = t;
        break;
      }
      if (chosen === undefined) break;
      if (chosen.run.length > 0) context = applyActions(chosen.run, context, input, now);
      if (chosen.types.length > 0) actions = actions.length === 0 ? chosen.types : [...actions, ...chosen.types];
      state = chosen.target;
      // A pure timer transition enters its target at the timer's deadline, not at this step:
      // timed sequences (back off 500 ms, then turn 600 ms) keep their length when steps are sparse.
      enteredAt = chosen.when === undefined ? enteredAt + chosen.after : now;
      taken++;
    }
    if (taken === 0) return snapshot;
    return { value: state.name, enteredAt, context, actions, transitions: snapshot.transitions + taken };
  }

  function initial(now: number, input: I): FsmSnapshot<S, C> {
    const entry = config.states[config.initial].entry ?? [];
    const context = applyActions(entry, config.context, input, now);
    return { value: config.initial, enteredAt: now, context, actions: entry.map((a) => a.type), transitions: 0 };
  }

  return { id, states: names, initialState: config.initial, initial, transition, output };
}
