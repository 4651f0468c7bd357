import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { SessionsService } from '../sessions/sessions.service';

export type LoginOutcome =
  'success' | 'invalid_credentials' | 'disabled' | 'mfa_required' | 'invalid_mfa_code';

/** Label for requests that matched no route, so scanners cannot mint one series per URL. */
const UNMATCHED_ROUTE = 'unmatched';

/**
 * The application's Prometheus metrics. Each app instance owns its registry (not prom-client's
 * global one), so several apps in one process (the e2e tests) keep separate counts.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  private readonly httpRequests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    registers: [this.registry],
  });

  private readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by method, route pattern and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  private readonly logins = new Counter({
    name: 'auth_logins_total',
    help: 'Login attempts that reached the password check, by outcome',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  private readonly refreshReuses = new Counter({
    name: 'auth_refresh_token_reuse_total',
    help: 'Spent refresh tokens presented again (each one revokes its session)',
    registers: [this.registry],
  });

  constructor(sessions: SessionsService) {
    new Gauge({
      name: 'auth_active_sessions',
      help: 'Sessions neither revoked nor expired, across all instances (read at scrape time)',
      registers: [this.registry],
      async collect() {
        this.set(await sessions.countLive());
      },
    });
    collectDefaultMetrics({ register: this.registry });
  }

  recordHttpRequest(
    method: string,
    route: string | undefined,
    statusCode: number,
    seconds: number,
  ): void {
    const labels = { method, route: route ?? UNMATCHED_ROUTE, status_code: statusCode };
    this.httpRequests.inc(labels);
    this.httpDuration.observe(labels, seconds);
  }

  recordLogin(outcome: LoginOutcome): void {
    this.logins.inc({ outcome });
  }

  recordRefreshReuse(): void {
    this.refreshReuses.inc();
  }

  /** Prometheus text exposition format. */
  render(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
