import { OutboxTiming, retryDelayMs } from './outbox-timing';

describe(retryDelayMs.name, () => {
  const timing = new OutboxTiming();

  it('starts about 1 s apart and doubles with each failure', () => {
    expect([1, 2, 3, 4, 5].map((failures) => retryDelayMs(timing, failures))).toEqual([
      1000, 2000, 4000, 8000, 16_000,
    ]);
  });

  it('never waits more than 30 s between tries', () => {
    expect(retryDelayMs(timing, 6)).toBe(30_000);
    expect(retryDelayMs(timing, 50)).toBe(30_000);
    expect(retryDelayMs(timing, Number.MAX_SAFE_INTEGER)).toBe(30_000);
  });

  it('follows a shorter timing given by the provider', () => {
    const short = Object.assign(new OutboxTiming(), {
      firstRetryDelayMs: 50,
      maxRetryDelayMs: 300,
    });

    expect([1, 2, 3, 4, 5].map((failures) => retryDelayMs(short, failures))).toEqual([
      50, 100, 200, 300, 300,
    ]);
  });
});
