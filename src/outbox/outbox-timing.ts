import { Injectable } from '@nestjs/common';

/**
 * When the sender polls, retries and gives up. The defaults are the contract's (handed over
 * within 5 s, retries from about 1 s growing to 30 s apart, dead after 24 h); they are not
 * environment keys. Tests replace this provider with shorter times.
 */
@Injectable()
export class OutboxTiming {
  /** Time between polls when nothing woke the sender. */
  pollIntervalMs = 1000;
  /** Delay before the first retry; each further failure doubles it, up to `maxRetryDelayMs`. */
  firstRetryDelayMs = 1000;
  maxRetryDelayMs = 30_000;
  /** A message still failing this long after its first attempt is marked dead. */
  deadAfterMs = 24 * 60 * 60 * 1000;
  /** How long a claim holds before another instance may take the message again. */
  leaseMs = 120_000;
  /** Messages claimed per poll (delivered concurrently). */
  batchSize = 10;
  /** On shutdown, how long deliveries in flight may take before their claims are released. */
  shutdownGraceMs = 10_000;
}

/** Delay before the next try after `failures` failed tries (1 = the first failure). */
export function retryDelayMs(timing: OutboxTiming, failures: number): number {
  const exponent = Math.max(0, failures - 1);
  // Capped before the power can overflow to Infinity for very high attempt counts.
  if (exponent >= 31) {
    return timing.maxRetryDelayMs;
  }
  return Math.min(timing.firstRetryDelayMs * 2 ** exponent, timing.maxRetryDelayMs);
}
