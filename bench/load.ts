import autocannon from 'autocannon';

/** What one load phase produced; `null` figures mean the route is missing (404). */
export interface LoadResult {
  connections: number;
  seconds: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  total: number;
  non2xx: number;
  errors: number;
  /** The server process's CPU time per completed request, when measured. */
  cpuMicrosPerRequest?: number;
}

export interface LoadOptions {
  url: string;
  connections: number;
  seconds: number;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** Per-connection customisation (autocannon's setupClient), such as chaining refresh tokens. */
  setupClient?: (client: autocannon.Client) => void;
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.seconds,
    method: options.method ?? 'GET',
    headers: options.headers,
    body: options.body,
    setupClient: options.setupClient,
  });
  const total = result.requests.total;
  return {
    connections: options.connections,
    seconds: options.seconds,
    // Total over the whole duration: steadier than autocannon's per-second average for short runs.
    requestsPerSecond: round(total / options.seconds),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

export function round(value: number, digits = 0): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

export interface ConcurrentResult<T> {
  perSecond: number;
  results: T[];
  failures: number;
  elapsedSeconds: number;
}

/**
 * Keeps `inFlight` calls of `task` running for `seconds` and counts completions: logins, or raw
 * bcrypt comparisons, measured the same way.
 */
export async function runConcurrently<T>(
  inFlight: number,
  seconds: number,
  task: (index: number) => Promise<T>,
): Promise<ConcurrentResult<T>> {
  const results: T[] = [];
  let failures = 0;
  let next = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const worker = async (): Promise<void> => {
    while (performance.now() < deadline) {
      try {
        results.push(await task(next++));
      } catch {
        failures++;
      }
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  const elapsed = (performance.now() - started) / 1000;
  return {
    perSecond: round(results.length / elapsed, 1),
    results,
    failures,
    elapsedSeconds: elapsed,
  };
}

/**
 * Measures two concurrent tasks in alternating slices (a, b, a, b, ...), so that a change in
 * the machine's other load during the run affects both alike.
 */
export async function compareInSlices<A, B>(
  slices: number,
  inFlight: number,
  seconds: number,
  first: (index: number) => Promise<A>,
  second: (index: number) => Promise<B>,
): Promise<[ConcurrentResult<A>, ConcurrentResult<B>]> {
  const a: ConcurrentResult<A> = { perSecond: 0, results: [], failures: 0, elapsedSeconds: 0 };
  const b: ConcurrentResult<B> = { perSecond: 0, results: [], failures: 0, elapsedSeconds: 0 };
  const add = <T>(total: ConcurrentResult<T>, slice: ConcurrentResult<T>): void => {
    total.results.push(...slice.results);
    total.failures += slice.failures;
    total.elapsedSeconds += slice.elapsedSeconds;
    total.perSecond = round(total.results.length / total.elapsedSeconds, 1);
  };
  for (let slice = 0; slice < slices; slice++) {
    add(a, await runConcurrently(inFlight, seconds / slices, first));
    add(b, await runConcurrently(inFlight, seconds / slices, second));
  }
  return [a, b];
}
