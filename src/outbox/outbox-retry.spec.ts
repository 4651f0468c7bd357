import { afterFailure } from './outbox-retry';
import { OutboxTiming } from './outbox-timing';

const HOUR_MS = 60 * 60 * 1000;

/** Fails a message at every try, on a fake clock that jumps to each scheduled retry. */
function failUntilDead(timing: OutboxTiming): { gapsMs: number[]; deadAfterMs: number } {
  const start = new Date('2025-01-01T00:00:00.000Z');
  let now = start;
  const gapsMs: number[] = [];
  for (let failures = 1; failures < 100_000; failures += 1) {
    const outcome = afterFailure(timing, failures, start, now);
    if (outcome.kind === 'dead') {
      return { gapsMs, deadAfterMs: now.getTime() - start.getTime() };
    }
    gapsMs.push(outcome.nextAttemptAt.getTime() - now.getTime());
    now = outcome.nextAttemptAt;
  }
  throw new Error('never marked dead');
}

describe(afterFailure.name, () => {
  it('retries about 1 s, then 2, 4, 8 s apart, never more than 30 s apart', () => {
    const { gapsMs } = failUntilDead(new OutboxTiming());

    expect(gapsMs.slice(0, 6)).toEqual([1000, 2000, 4000, 8000, 16_000, 30_000]);
    expect(Math.max(...gapsMs)).toBe(30_000);
    expect(gapsMs.slice(5).every((gap) => gap === 30_000)).toBe(true);
  });

  it('marks a message dead only after 24 h of failed tries, and not much later', () => {
    const { gapsMs, deadAfterMs } = failUntilDead(new OutboxTiming());

    expect(deadAfterMs).toBeGreaterThanOrEqual(24 * HOUR_MS);
    expect(deadAfterMs).toBeLessThan(24 * HOUR_MS + 30_000);
    // About 2 880 tries at the 30 s cap fill a day.
    expect(gapsMs.length).toBeGreaterThan(2800);
  });

  it('counts the 24 h from the first try, not from when the message was written', () => {
    const timing = new OutboxTiming();
    const firstTry = new Date('2025-01-02T00:00:00.000Z');
    const justBefore = new Date(firstTry.getTime() + 24 * HOUR_MS - 1);

    expect(afterFailure(timing, 3000, firstTry, justBefore).kind).toBe('retry');
    expect(
      afterFailure(timing, 3000, firstTry, new Date(firstTry.getTime() + 24 * HOUR_MS)),
    ).toEqual({ kind: 'dead' });
  });

  it('follows shorter times from an overridden timing', () => {
    const timing = Object.assign(new OutboxTiming(), {
      firstRetryDelayMs: 100,
      maxRetryDelayMs: 400,
      deadAfterMs: 2000,
    });
    const { gapsMs, deadAfterMs } = failUntilDead(timing);

    expect(gapsMs.slice(0, 4)).toEqual([100, 200, 400, 400]);
    expect(deadAfterMs).toBeGreaterThanOrEqual(2000);
    expect(deadAfterMs).toBeLessThan(2400);
  });
});
