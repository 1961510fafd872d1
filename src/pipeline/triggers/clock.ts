/**
 * The scheduler's idea of "now": the system clock, or one a test moves by hand, or one that
 * runs faster than real time (a demo replaying months in minutes). Only schedules, monitor
 * windows and the retrain rate limit read it; leases use wall-clock time.
 */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that stands still until moved: `advance(ms)` or `set(t)`. */
export function manualClock(start: number): Clock & { advance(ms: number): void; set(t: number): void } {
  let t = start;
  return {
    now: () => t,
    advance: (ms) => void (t += ms),
    set: (to) => void (t = to),
  };
}

/** Starts at `start` and runs `speed` times faster than the system clock. */
export function acceleratedClock(start: number, speed: number): Clock {
  const t0 = Date.now();
  return { now: () => start + (Date.now() - t0) * speed };
}
