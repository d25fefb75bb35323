import { Subscription, type SchedulerAction, type SchedulerLike } from 'rxjs';
import type { Clock, TimerHandle } from './clock.js';

/**
 * An rxjs action whose timers come from a {@link Clock}. Like rxjs's own AsyncAction, an
 * action that does not reschedule itself while running is finished and unsubscribed.
 */
class ClockAction<T> extends Subscription implements SchedulerAction<T> {
  private timer: TimerHandle | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly work: (this: SchedulerAction<T>, state?: T) => void,
  ) {
    super(() => {
      this.timer?.cancel();
      this.timer = undefined;
    });
  }

  schedule(state?: T, delay = 0): Subscription {
    if (this.closed) return this;
    this.timer?.cancel();
    this.timer = this.clock.setTimer(delay, () => {
      this.timer = undefined;
      this.work.call(this, state);
      if (this.timer === undefined) this.unsubscribe();
    });
    return this;
  }
}

/** Makes an rxjs scheduler that reads and waits on `clock`. */
export function createClockScheduler(clock: Pick<Clock, 'now' | 'setTimer'>): SchedulerLike {
  return {
    now: () => clock.now(),
    schedule<T>(work: (this: SchedulerAction<T>, state?: T) => void, delay = 0, state?: T): Subscription {
      return new ClockAction<T>(clock as Clock, work).schedule(state, delay);
    },
  };
}
