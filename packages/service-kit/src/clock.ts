/**
 * Where "now" comes from. Every service reads the time through one Clock passed in its deps, so tests move
 * time by passing a clock of their own instead of waiting for it.
 */
export interface Clock {
  now(): Date
}

/** The wall clock. */
export const systemClock: Clock = { now: () => new Date() }
