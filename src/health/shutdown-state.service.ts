import {
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Server } from 'node:http';

/** How long requests in flight may take to finish once shutdown starts. */
const DRAIN_TIMEOUT_MS = 10_000;
const IDLE_SWEEP_MS = 100;

/**
 * Knows whether the app is shutting down, and bounds the drain. Nest's order on SIGTERM is:
 * beforeApplicationShutdown (here: readiness turns 503, the drain timer starts), then the HTTP
 * server closes (stops accepting, waits for requests in flight), then onApplicationShutdown
 * (the database and Redis close). A request that outlives the drain timer has its connection
 * cut, so a stuck client cannot hold the process past the orchestrator's kill deadline.
 */
@Injectable()
export class ShutdownState implements BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger(ShutdownState.name);
  private shuttingDown = false;
  private drainTimer?: NodeJS.Timeout;
  private idleSweep?: NodeJS.Timeout;

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  get isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  beforeApplicationShutdown(signal?: string): void {
    if (this.shuttingDown) {
      return;
    }
    this.shuttingDown = true;
    this.logger.log(`Shutting down${signal ? ` on ${signal}` : ''}: finishing requests in flight`);
    const server = this.adapterHost.httpAdapter?.getHttpServer() as Server | undefined;
    this.drainTimer = setTimeout(() => {
      this.logger.warn(`Requests still in flight after ${DRAIN_TIMEOUT_MS} ms: closing them`);
      server?.closeAllConnections();
    }, DRAIN_TIMEOUT_MS);
    this.drainTimer.unref();
    // A keep-alive connection whose request has just finished would otherwise hold the close
    // until Node's keep-alive timeout (5 s); drop such idle connections as they appear.
    this.idleSweep = setInterval(() => server?.closeIdleConnections(), IDLE_SWEEP_MS);
    this.idleSweep.unref();
  }

  onApplicationShutdown(): void {
    clearTimeout(this.drainTimer);
    clearInterval(this.idleSweep);
  }
}
