import { retryDelayMs, type OutboxTiming } from './outbox-timing';

export type FailureOutcome = { kind: 'retry'; nextAttemptAt: Date } | { kind: 'dead' };

/**
 * What becomes of a message whose try failed at `now`: tried again after the growing delay, or
 * dead once it has been failing for `deadAfterMs` since its first try.
 */
export function afterFailure(
  timing: OutboxTiming,
  failures: number,
  firstAttemptAt: Date,
  now: Date,
): FailureOutcome {
  if (now.getTime() - firstAttemptAt.getTime() >= timing.deadAfterMs) {
    return { kind: 'dead' };
  }
  return { kind: 'retry', nextAttemptAt: new Date(now.getTime() + retryDelayMs(timing, failures)) };
}
