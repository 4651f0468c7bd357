import { Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';

/**
 * Runs work after the request that asked for it has been answered. `forgot` and `resend` answer
 * 202 before they look the address up, so the answer takes the same time whether or not an
 * account exists: equal by construction, not by imitating the work for unknown addresses.
 *
 * Work in flight is awaited at shutdown, before the database closes; once shutdown has begun,
 * new work runs inside its request instead, which the HTTP server's drain then waits for.
 */
@Injectable()
export class AfterResponse implements BeforeApplicationShutdown {
  private readonly logger = new Logger(AfterResponse.name);
  private readonly pending = new Set<Promise<void>>();
  private closing = false;

  /** Starts `work` without waiting for it; a failure is logged, never thrown to the client. */
  async run(description: string, work: () => Promise<void>): Promise<void> {
    // setImmediate: after the reply's own microtasks, so even a synchronous driver
    // (better-sqlite3) does none of this work before the 202 is written.
    const running = new Promise<void>((resolve) => setImmediate(resolve))
      .then(work)
      .catch((error: unknown) => {
        this.logger.error(
          `${description} failed`,
          error instanceof Error ? error.stack : String(error),
        );
      });
    if (this.closing) {
      await running;
      return;
    }
    this.pending.add(running);
    void running.finally(() => this.pending.delete(running));
  }

  /** Resolves once every piece of work started so far has finished (tests and shutdown). */
  async settled(): Promise<void> {
    while (this.pending.size > 0) {
      await Promise.all([...this.pending]);
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.closing = true;
    await this.settled();
  }
}
