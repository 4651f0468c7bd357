/**
 * `npm run bench [-- --smoke | --long] [-- --no-build]`: builds the app, starts it as production
 * does (its own process, NODE_ENV=production), seeds users, loads it with autocannon beside a
 * bare node:http reference server, prints one table and writes it as JSON to bench/results/.
 * SQLite in a temporary folder by default; a fresh PostgreSQL database when DATABASE_URL names a
 * server (created and dropped by the run). See bench/README.md.
 */
import bcrypt from 'bcrypt';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  createSecretKey,
  generateKeyPairSync,
  randomBytes,
  randomUUID,
  type KeyObject,
} from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import type autocannon from 'autocannon';
import jwt from 'jsonwebtoken';
import { openBenchDatabase, type BenchDatabase, type SeededUser } from './bench-database';
import {
  compareInSlices,
  round,
  runConcurrently,
  runLoad,
  type ConcurrentResult,
  type LoadOptions,
  type LoadResult,
} from './load';

const ROOT = join(__dirname, '..');
const PASSWORD = 'bench-Password-42';
const ISSUER = 'nest-auth';
const AUDIENCE = 'nest-auth-api';
// GET /users/me's load: this many connections, each with its own signed-in user.
const ME_CONNECTIONS = 50;
// Linux reports process CPU time in clock ticks of 1/100 s (getconf CLK_TCK).
const CLOCK_TICKS = 100;

interface Profile {
  name: 'smoke' | 'default' | 'long';
  seconds: number;
  roundSeconds: number;
  warmupSeconds: number;
  bcryptCost: number;
  smallUsers: number;
  largeUsers: number;
}

const PROFILES: Record<Profile['name'], Profile> = {
  smoke: {
    name: 'smoke',
    seconds: 1,
    roundSeconds: 1,
    warmupSeconds: 1,
    bcryptCost: 10,
    smallUsers: 1_000,
    largeUsers: 5_000,
  },
  default: {
    name: 'default',
    seconds: 10,
    roundSeconds: 4,
    warmupSeconds: 3,
    bcryptCost: 12,
    smallUsers: 1_000,
    largeUsers: 100_000,
  },
  long: {
    name: 'long',
    seconds: 30,
    roundSeconds: 15,
    warmupSeconds: 5,
    bcryptCost: 12,
    smallUsers: 1_000,
    largeUsers: 100_000,
  },
};

interface Tokens {
  access_token: string;
  refresh_token: string;
}

type Measured = LoadResult | 'n/a (route missing)';

interface Report {
  startedAt: string;
  profile: Profile['name'];
  database: 'sqlite' | 'postgres';
  machine: { cpus: number; cpuModel: string; node: string; platform: string };
  bcryptCost: number;
  startupMs: number;
  me: { smallUsers: LoadResult; largeUsers: LoadResult; reference: LoadResult };
  /** GET /users/me with the same tokens sent as the access_token cookie. */
  meByCookie: LoadResult;
  meCookieToBearerRatio: number;
  meRatioToReference: number;
  meCpuRatioToReference: number;
  meLargeToSmallRatio: number;
  posts: Measured;
  refresh: Measured;
  login: { loginsPerSecond: number; rawBcryptPerSecond: number; ratio: number; failures: number };
  meWhileLoggingIn: LoadResult & { loginsPerSecond: number };
  rssMb: { afterRound1: number; afterRound2: number; afterRound5: number };
  adminSearch: Measured;
  forgot: { known: LoadResult; unknown: LoadResult; ratio: number };
  asymmetric: AsymmetricMeasurement;
  signing: SigningCost;
}

async function main(): Promise<void> {
  const args = new Set(process.argv.slice(2));
  const profile = PROFILES[args.has('--smoke') ? 'smoke' : args.has('--long') ? 'long' : 'default'];
  const log = (message: string): void => {
    process.stderr.write(`[bench] ${message}\n`);
  };

  if (!args.has('--no-build')) {
    buildIfStale(log);
  }

  const database = await openBenchDatabase(process.env.DATABASE_URL?.trim());
  const processes: ChildProcess[] = [];
  const cleanUp = async (): Promise<void> => {
    await Promise.all(processes.map(stop));
    await database.dispose();
  };
  process.once('SIGINT', () => {
    void cleanUp().finally(() => process.exit(130));
  });

  try {
    const report = await measure(profile, database, processes, log);
    const table = formatTable(report);
    process.stdout.write(`${table}\n`);
    const resultsDirectory = join(ROOT, 'bench', 'results');
    mkdirSync(resultsDirectory, { recursive: true });
    const file = join(resultsDirectory, `${report.startedAt.replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, `${JSON.stringify({ ...report, table }, null, 2)}\n`);
    log(`written to ${file}`);
    if (profile.name === 'smoke') {
      assertNumbers(report);
      log('smoke: every measurement produced numbers');
    }
  } finally {
    await cleanUp();
  }
}

/** What every measurement needs: the running app, a signed-in client and the seeded users. */
interface Bench {
  profile: Profile;
  database: BenchDatabase;
  app: ChildProcess;
  base: string;
  http: ApiClient;
  /** The seeded users' password hash (one bcrypt hash, reused). */
  hash: string;
  users: SeededUser[];
  meUrl: string;
  /** autocannon `setupClient` for GET /users/me: one signed-in user per connection. */
  bearer: () => (client: autocannon.Client) => void;
  /** The same, with each token sent as the `access_token` cookie (the browser transport). */
  byCookie: () => (client: autocannon.Client) => void;
  /** Signs the next seeded user in (round robin), through the API. */
  loginOnce: () => Promise<Tokens>;
  log: (message: string) => void;
}

/** The measurements one after the other, in the order bench/README.md describes. */
async function measure(
  profile: Profile,
  database: BenchDatabase,
  processes: ChildProcess[],
  log: (message: string) => void,
): Promise<Report> {
  const startedAt = new Date().toISOString();
  const secret = randomBytes(36).toString('base64'); // 48 bytes of UTF-8
  const { app, base, startupMs } = await startApp(profile, database, secret, processes, log);
  const { bench, admin, userTokens, adminTokens } = await seedAndSignIn(
    profile,
    database,
    app,
    base,
    log,
  );
  const reference = await startReference(secret, [admin, ...bench.users]);
  processes.push(reference.process);

  const rss = await measureWarmUpRounds(bench);
  const headline = await measureMeAgainstReference(bench, reference);
  const meByCookie = await measureMeByCookie(bench);
  const asymmetric = await measureMeWithAsymmetricTokens(
    bench,
    headline.referenceResult,
    secret,
    processes,
  );
  bench.log('GET /posts');
  const posts = await measurePosts(bench.http, bench.base, userTokens.access_token, profile);
  const { logins, raw } = await measureLoginsAgainstBcrypt(bench);
  const duringLogins = await measureMeDuringLogins(bench);
  bench.log('POST /auth/refresh');
  const refreshPool = [...logins.results, ...duringLogins.logins.results].map(
    (tokens) => tokens.refresh_token,
  );
  const refresh = await measureRefresh(
    bench.http,
    bench.base,
    refreshPool,
    bench.loginOnce,
    profile,
  );
  const meLarge = await measureMeAtScale(bench);
  bench.log('GET /users?search= as admin');
  const adminSearch = await measureAdminSearch(
    bench.http,
    bench.base,
    adminTokens.access_token,
    profile,
  );
  const forgot = await measureForgot(bench);

  return toReport({
    startedAt,
    profile,
    database: database.kind,
    startupMs,
    rss,
    ...headline,
    meByCookie,
    posts,
    logins,
    raw,
    duringLogins,
    refresh,
    meLarge,
    adminSearch,
    forgot,
    asymmetric,
  });
}

/** Every figure the measurements produced, before the ratios are worked out. */
interface Measurements {
  startedAt: string;
  profile: Profile;
  database: Report['database'];
  startupMs: number;
  rss: number[];
  meSmall: LoadResult;
  referenceResult: LoadResult;
  meByCookie: LoadResult;
  posts: Measured;
  logins: ConcurrentResult<Tokens>;
  raw: ConcurrentResult<boolean>;
  duringLogins: { me: LoadResult; logins: ConcurrentResult<Tokens> };
  refresh: Measured;
  meLarge: LoadResult;
  adminSearch: Measured;
  forgot: { known: LoadResult; unknown: LoadResult };
  asymmetric: AsymmetricMeasurement;
}

function toReport(measured: Measurements): Report {
  const { meSmall, referenceResult, meLarge, logins, raw, duringLogins, rss } = measured;
  const cpuList = cpus();
  return {
    startedAt: measured.startedAt,
    profile: measured.profile.name,
    database: measured.database,
    machine: {
      cpus: cpuList.length,
      cpuModel: cpuList[0]?.model ?? 'unknown',
      node: process.version,
      platform: `${process.platform} ${process.arch}`,
    },
    bcryptCost: measured.profile.bcryptCost,
    startupMs: measured.startupMs,
    me: { smallUsers: meSmall, largeUsers: meLarge, reference: referenceResult },
    meByCookie: measured.meByCookie,
    meCookieToBearerRatio: round(
      measured.meByCookie.requestsPerSecond / meSmall.requestsPerSecond,
      2,
    ),
    meRatioToReference: round(meSmall.requestsPerSecond / referenceResult.requestsPerSecond, 2),
    meCpuRatioToReference: round(
      (referenceResult.cpuMicrosPerRequest ?? 0) / (meSmall.cpuMicrosPerRequest ?? 1),
      2,
    ),
    meLargeToSmallRatio: round(meLarge.requestsPerSecond / meSmall.requestsPerSecond, 2),
    posts: measured.posts,
    refresh: measured.refresh,
    login: {
      loginsPerSecond: logins.perSecond,
      rawBcryptPerSecond: raw.perSecond,
      ratio: round(logins.perSecond / raw.perSecond, 2),
      failures: logins.failures,
    },
    meWhileLoggingIn: { ...duringLogins.me, loginsPerSecond: duringLogins.logins.perSecond },
    rssMb: { afterRound1: rss[0], afterRound2: rss[1], afterRound5: rss[4] },
    adminSearch: measured.adminSearch,
    forgot: {
      ...measured.forgot,
      ratio: round(
        measured.forgot.known.requestsPerSecond / measured.forgot.unknown.requestsPerSecond,
        2,
      ),
    },
    asymmetric: measured.asymmetric,
    signing: measureSigningCost(measured.profile),
  };
}

/** Starts the built app as production does and measures the time to its first healthy answer. */
async function startApp(
  profile: Profile,
  database: BenchDatabase,
  secret: string,
  processes: ChildProcess[],
  log: (message: string) => void,
  env: Record<string, string> = {},
): Promise<{ app: ChildProcess; base: string; startupMs: number }> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;

  log(`starting the app (${database.kind}, bcrypt cost ${profile.bcryptCost})`);
  const launched = performance.now();
  const app = spawn(process.execPath, productionStartArguments(), {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_URL: database.appUrl,
      JWT_SECRET: secret,
      ENCRYPTION_KEY: randomBytes(36).toString('base64'),
      JWT_ISSUER: ISSUER,
      JWT_AUDIENCE: AUDIENCE,
      JWT_ACCESS_TTL: '1h',
      BCRYPT_COST: String(profile.bcryptCost),
      LOG_LEVEL: 'warn',
      // The bench hammers refresh and login from one address; the limits are not what it measures.
      AUTH_RATE_LIMIT: '1000000000',
      LOGIN_MAX_ATTEMPTS: '1000000000',
      REDIS_URL: '',
      ADMIN_EMAIL: '',
      ADMIN_PASSWORD: '',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  processes.push(app);
  const appOutput = captureOutput(app);
  await waitForHealthy(base, app, appOutput);
  const startupMs = round(performance.now() - launched);
  log(`healthy after ${startupMs} ms`);
  return { app, base, startupMs };
}

/** Seeds an admin and the small user set, and signs in one user per GET /users/me connection. */
async function seedAndSignIn(
  profile: Profile,
  database: BenchDatabase,
  app: ChildProcess,
  base: string,
  log: (message: string) => void,
): Promise<{ bench: Bench; admin: SeededUser; userTokens: Tokens; adminTokens: Tokens }> {
  const hash = await bcrypt.hash(PASSWORD, profile.bcryptCost);
  const [admin] = await database.seedUsers(0, 1, hash, ['user', 'admin']);
  const users = await database.seedUsers(1, profile.smallUsers + 1, hash);
  log(`seeded ${users.length + 1} users`);

  const http = new ApiClient(base);
  // One signed-in user per connection, as real clients are: each connection sends its own token
  // and reads its own session and user row.
  const meTokens = await signInMany(
    http,
    users.slice(0, ME_CONNECTIONS).map((user) => user.username),
  );
  const adminTokens = await http.login(admin.username);
  let loginCounter = 0;
  const bench: Bench = {
    profile,
    database,
    app,
    base,
    http,
    hash,
    users,
    meUrl: `${base}/api/v1/users/me`,
    bearer: oneTokenPerConnection(meTokens.map((tokens) => tokens.access_token)),
    byCookie: oneTokenPerConnection(
      meTokens.map((tokens) => tokens.access_token),
      (token) => ({ cookie: `access_token=${token}` }),
    ),
    loginOnce: () => http.login(users[loginCounter++ % users.length].username),
    log,
  };
  return { bench, admin, userTokens: meTokens[0], adminTokens };
}

/** Five rounds of GET /users/me: they warm the JIT up and show whether memory keeps growing. */
async function measureWarmUpRounds(bench: Bench): Promise<number[]> {
  bench.log('GET /users/me, rounds 1 to 5 (RSS after rounds 1, 2 and 5)');
  const rss: number[] = [];
  for (let roundNumber = 1; roundNumber <= 5; roundNumber++) {
    await runLoad({
      url: bench.meUrl,
      connections: ME_CONNECTIONS,
      seconds: bench.profile.roundSeconds,
      setupClient: bench.bearer(),
    });
    rss.push(rssMb(bench.app));
  }
  return rss;
}

/** The headline: the project and the reference under the same load, one after the other. */
async function measureMeAgainstReference(
  bench: Bench,
  reference: { process: ChildProcess; port: number },
): Promise<{ meSmall: LoadResult; referenceResult: LoadResult }> {
  bench.log('GET /users/me and the reference server, 50 connections');
  const meSmall = await loadWithCpu(bench.app, {
    url: bench.meUrl,
    connections: ME_CONNECTIONS,
    seconds: bench.profile.seconds,
    setupClient: bench.bearer(),
  });
  const referenceUrl = `http://127.0.0.1:${reference.port}/api/v1/users/me`;
  await runLoad({
    url: referenceUrl,
    connections: ME_CONNECTIONS,
    seconds: bench.profile.warmupSeconds,
    setupClient: bench.bearer(),
  });
  const referenceResult = await loadWithCpu(reference.process, {
    url: referenceUrl,
    connections: ME_CONNECTIONS,
    seconds: bench.profile.seconds,
    setupClient: bench.bearer(),
  });
  return { meSmall, referenceResult };
}

/**
 * GET /users/me by cookie right after the bearer run: the same tokens, connections and duration,
 * so the two rows compare the transports alone (the cookie is parsed by @fastify/cookie; the
 * checks and the query are the same).
 */
async function measureMeByCookie(bench: Bench): Promise<LoadResult> {
  bench.log('GET /users/me by cookie, 50 connections');
  return loadWithCpu(bench.app, {
    url: bench.meUrl,
    connections: ME_CONNECTIONS,
    seconds: bench.profile.seconds,
    setupClient: bench.byCookie(),
  });
}

/** Logins against raw bcrypt.compare, 8 in flight each. */
async function measureLoginsAgainstBcrypt(
  bench: Bench,
): Promise<{ logins: ConcurrentResult<Tokens>; raw: ConcurrentResult<boolean> }> {
  bench.log('login against raw bcrypt, 8 in flight');
  // Alternating slices: bcrypt saturates both cores, so background load would skew either side.
  const [logins, raw] = await compareInSlices(
    bench.profile.name === 'smoke' ? 1 : 4,
    8,
    bench.profile.seconds * 2,
    bench.loginOnce,
    () => bcrypt.compare(PASSWORD, bench.hash),
  );
  return { logins, raw };
}

/** GET /users/me at 10 connections while 8 logins are in flight: bcrypt must not block the loop. */
async function measureMeDuringLogins(bench: Bench): Promise<{
  me: LoadResult;
  logins: ConcurrentResult<Tokens>;
}> {
  bench.log('GET /users/me at 10 connections while 8 logins are in flight');
  const [me, logins] = await Promise.all([
    runLoad({
      url: bench.meUrl,
      connections: 10,
      seconds: bench.profile.seconds,
      setupClient: bench.bearer(),
    }),
    runConcurrently(8, bench.profile.seconds, bench.loginOnce),
  ]);
  return { me, logins };
}

/** GET /users/me again after seeding up to the large user count. */
async function measureMeAtScale(bench: Bench): Promise<LoadResult> {
  const { profile } = bench;
  bench.log(`seeding up to ${profile.largeUsers} users`);
  await bench.database.seedUsers(profile.smallUsers + 1, profile.largeUsers, bench.hash);
  await runLoad({
    url: bench.meUrl,
    connections: ME_CONNECTIONS,
    seconds: profile.warmupSeconds,
    setupClient: bench.bearer(),
  });
  return loadWithCpu(bench.app, {
    url: bench.meUrl,
    connections: ME_CONNECTIONS,
    seconds: profile.seconds,
    setupClient: bench.bearer(),
  });
}

/**
 * POST /auth/password/forgot for addresses with an account (the seeded users in turn) and for
 * addresses without one (a new one each time), one after the other after a warm-up of each. The
 * answer comes before the address is looked up, so both should run at about the same rate; what
 * a known address costs (a token and a queued mail, written after the answer) is what separates
 * them. Without SMTP_URL in production the mails stay in the outbox, so no SMTP is involved.
 */
async function measureForgot(bench: Bench): Promise<{ known: LoadResult; unknown: LoadResult }> {
  bench.log('POST /auth/password/forgot, known and unknown addresses, 50 connections');
  const url = `${bench.base}/api/v1/auth/password/forgot`;
  let nextUser = 0;
  let nextStranger = 0;
  const knownEmail = (): string => bench.users[nextUser++ % bench.users.length].email;
  const unknownEmail = (): string => `nobody-${nextStranger++}@bench.example.com`;
  const forgotLoad = (email: () => string, seconds: number): Promise<LoadResult> =>
    runLoad({
      url,
      connections: ME_CONNECTIONS,
      seconds,
      setupClient: (client) => {
        client.setRequests([
          {
            method: 'POST',
            path: '/api/v1/auth/password/forgot',
            headers: { 'content-type': 'application/json' },
            setupRequest: (request) => ({ ...request, body: JSON.stringify({ email: email() }) }),
          },
        ]);
      },
    });
  await forgotLoad(unknownEmail, bench.profile.warmupSeconds);
  const unknown = await forgotLoad(unknownEmail, bench.profile.seconds);
  await forgotLoad(knownEmail, bench.profile.warmupSeconds);
  const known = await forgotLoad(knownEmail, bench.profile.seconds);
  return { known, unknown };
}

/** GET /users/me with ES256 access tokens, from a second app process on the same database. */
interface AsymmetricMeasurement {
  algorithm: 'ES256';
  me: LoadResult;
  meRatioToReference: number;
  meCpuRatioToReference: number;
}

/**
 * The headline again with `JWT_ALGORITHM=ES256`: a second app process on the same database, its
 * own 50 signed-in users, the same load, compared with the same reference run. An ES256 verify
 * costs about as much as a whole guarded request, so this is what the verified-token cache
 * (bench/README.md, step 5) is for.
 */
async function measureMeWithAsymmetricTokens(
  bench: Bench,
  referenceResult: LoadResult,
  secret: string,
  processes: ChildProcess[],
): Promise<AsymmetricMeasurement> {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const { app, base } = await startApp(
    bench.profile,
    bench.database,
    secret,
    processes,
    bench.log,
    {
      JWT_ALGORITHM: 'ES256',
      JWT_PRIVATE_KEY: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    },
  );
  try {
    bench.log('GET /users/me with ES256 tokens, 50 connections');
    const usernames = bench.users.slice(0, ME_CONNECTIONS).map((user) => user.username);
    const tokens = await signInMany(new ApiClient(base), usernames);
    const bearer = oneTokenPerConnection(tokens.map((pair) => pair.access_token));
    const url = `${base}/api/v1/users/me`;
    // As many warm-up seconds as the HS256 app had in its five rounds, so both are equally warm.
    await runLoad({
      url,
      connections: ME_CONNECTIONS,
      seconds: bench.profile.roundSeconds * 5,
      setupClient: bearer(),
    });
    const me = await loadWithCpu(app, {
      url,
      connections: ME_CONNECTIONS,
      seconds: bench.profile.seconds,
      setupClient: bearer(),
    });
    return {
      algorithm: 'ES256',
      me,
      meRatioToReference: round(me.requestsPerSecond / referenceResult.requestsPerSecond, 2),
      meCpuRatioToReference: round(
        (referenceResult.cpuMicrosPerRequest ?? 0) / (me.cpuMicrosPerRequest ?? 1),
        2,
      ),
    };
  } finally {
    await stop(app);
    processes.splice(processes.indexOf(app), 1);
  }
}

/** µs per access token signed (each login and each refresh signs one), and per ES256 verify. */
interface SigningCost {
  hs256SignMicros: number;
  es256SignMicros: number;
  rs256SignMicros: number;
  es256VerifyMicros: number;
}

/**
 * Signs tokens with the claims and options TokenService uses, in this process, for each
 * algorithm; the verify figure is what a request would pay without the verified-token cache.
 */
function measureSigningCost(profile: Profile): SigningCost {
  const milliseconds = profile.name === 'smoke' ? 100 : 1_000;
  const options = (algorithm: jwt.Algorithm): jwt.SignOptions => ({
    algorithm,
    ...(algorithm === 'HS256' ? {} : { keyid: 'kid' }),
    expiresIn: 900,
    issuer: ISSUER,
    audience: AUDIENCE,
    subject: randomUUID(),
  });
  const sign = (key: KeyObject, algorithm: jwt.Algorithm): string => {
    const claims = { username: 'bench-user', sid: randomUUID() };
    return jwt.sign(claims, key, { ...options(algorithm), jwtid: randomUUID() });
  };
  const hmac = createSecretKey(randomBytes(48));
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const es256Token = sign(ec.privateKey, 'ES256');
  return {
    hs256SignMicros: microsPerCall(milliseconds, () => sign(hmac, 'HS256')),
    es256SignMicros: microsPerCall(milliseconds, () => sign(ec.privateKey, 'ES256')),
    rs256SignMicros: microsPerCall(milliseconds, () => sign(rsa.privateKey, 'RS256')),
    es256VerifyMicros: microsPerCall(milliseconds, () =>
      jwt.verify(es256Token, ec.publicKey, { algorithms: ['ES256'], issuer: ISSUER }),
    ),
  };
}

/** Calls `work` for about `milliseconds` (after a short warm-up) and returns µs per call. */
function microsPerCall(milliseconds: number, work: () => unknown): number {
  for (let index = 0; index < 50; index++) {
    work();
  }
  let calls = 0;
  const started = performance.now();
  while (performance.now() - started < milliseconds) {
    work();
    calls++;
  }
  return round(((performance.now() - started) * 1000) / calls, 1);
}

class ApiClient {
  constructor(private readonly base: string) {}

  async login(username: string): Promise<Tokens> {
    const response = await fetch(`${this.base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password: PASSWORD }),
    });
    if (response.status !== 200) {
      throw new Error(`login answered ${response.status}: ${await response.text()}`);
    }
    return (await response.json()) as Tokens;
  }

  async status(path: string, init: RequestInit = {}): Promise<number> {
    const response = await fetch(`${this.base}${path}`, init);
    await response.arrayBuffer();
    return response.status;
  }
}

async function measurePosts(
  http: ApiClient,
  base: string,
  accessToken: string,
  profile: Profile,
): Promise<Measured> {
  const path = '/api/v1/posts?page=1&limit=20';
  if ((await http.status(path)) === 404) {
    return 'n/a (route missing)';
  }
  for (let index = 0; index < 100; index++) {
    const status = await http.status('/api/v1/posts', {
      method: 'POST',
      headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ title: `Bench post ${index}`, content: 'Lorem ipsum '.repeat(40) }),
    });
    if (status !== 201) {
      throw new Error(`POST /posts answered ${status}`);
    }
  }
  const url = `${base}${path}`;
  await runLoad({ url, connections: 50, seconds: profile.warmupSeconds });
  return runLoad({ url, connections: 50, seconds: profile.seconds });
}

/**
 * Each connection holds one session and spends its refresh token on every request, sending the
 * token the previous response returned: the rotation a real client does.
 */
async function measureRefresh(
  http: ApiClient,
  base: string,
  pool: string[],
  loginOnce: () => Promise<Tokens>,
  profile: Profile,
): Promise<Measured> {
  const path = '/api/v1/auth/refresh';
  const probe = await http.status(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ refresh_token: 'not-a-token' }),
  });
  if (probe === 404) {
    return 'n/a (route missing)';
  }
  const connections = 50;
  while (pool.length < connections) {
    pool.push((await loginOnce()).refresh_token);
  }
  let next = 0;
  const setupClient = (client: autocannon.Client): void => {
    let token = pool[next++];
    client.setRequests([
      {
        method: 'POST',
        path,
        headers: { 'content-type': 'application/json' },
        setupRequest: (request) => ({ ...request, body: JSON.stringify({ refresh_token: token }) }),
        onResponse: (status, body) => {
          if (status === 200) {
            token = (JSON.parse(body) as Tokens).refresh_token;
          }
        },
      },
    ]);
  };
  return runLoad({ url: `${base}${path}`, connections, seconds: profile.seconds, setupClient });
}

async function measureAdminSearch(
  http: ApiClient,
  base: string,
  accessToken: string,
  profile: Profile,
): Promise<Measured> {
  // Matches ten users by email and username (user042420 … user042429), among all of them.
  const path = '/api/v1/users?search=user04242&page=1&limit=20';
  const headers = { authorization: `Bearer ${accessToken}` };
  const status = await http.status(path, { headers });
  if (status === 404) {
    return 'n/a (route missing)';
  }
  const url = `${base}${path}`;
  await runLoad({ url, connections: 10, seconds: profile.warmupSeconds, headers });
  return runLoad({ url, connections: 10, seconds: profile.seconds, headers });
}

async function startReference(
  secret: string,
  users: SeededUser[],
): Promise<{ process: ChildProcess; port: number }> {
  const usersFile = join(tmpdir(), `nest-auth-bench-users-${process.pid}.json`);
  writeFileSync(usersFile, JSON.stringify(users));
  const child = spawn(
    process.execPath,
    [
      // The same V8 flags as the project (they make no measurable difference to the reference).
      ...productionStartArguments().filter((arg) => arg.startsWith('--')),
      '-r',
      'ts-node/register/transpile-only',
      join(__dirname, 'reference-server.ts'),
    ],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        BENCH_JWT_SECRET: secret,
        BENCH_JWT_ISSUER: ISSUER,
        BENCH_JWT_AUDIENCE: AUDIENCE,
        BENCH_USERS_FILE: usersFile,
      },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  );
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (message: { port: number }) => resolve(message.port));
    child.once('exit', (code) => reject(new Error(`reference server exited with ${code}`)));
  });
  return { process: child, port };
}

function buildIfStale(log: (message: string) => void): void {
  const newest = (directory: string): number =>
    readdirSync(directory, { withFileTypes: true }).reduce((latest, entry) => {
      const path = join(directory, entry.name);
      const time = entry.isDirectory() ? newest(path) : statSync(path).mtimeMs;
      return Math.max(latest, time);
    }, 0);
  let built = 0;
  try {
    built = statSync(join(ROOT, 'dist', 'main.js')).mtimeMs;
  } catch {
    // not built yet
  }
  if (built > newest(join(ROOT, 'src'))) {
    log('dist/ is newer than src/: not rebuilding');
    return;
  }
  log('npx nest build');
  const result = spawnSync('npx', ['nest', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) {
    throw new Error('nest build failed');
  }
}

function captureOutput(child: ChildProcess): () => string {
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return () => output;
}

async function waitForHealthy(
  base: string,
  app: ChildProcess,
  output: () => string,
): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (app.exitCode !== null) {
      throw new Error(`the app exited with ${app.exitCode}:\n${output()}`);
    }
    try {
      const response = await fetch(`${base}/api/v1/health`);
      await response.arrayBuffer();
      if (response.status === 200) {
        return;
      }
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`the app was not healthy within 60 s:\n${output()}`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** CPU time (user + system) the process has used so far, in microseconds. */
function cpuMicros(child: ChildProcess): number {
  const stat = readFileSync(`/proc/${child.pid}/stat`, 'utf8');
  // Fields after the command name, which is in parentheses and may contain spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime
  return (ticks * 1_000_000) / CLOCK_TICKS;
}

/**
 * The arguments `npm run start:prod` gives node (its V8 flags and the entry point), so that the
 * bench measures the server exactly as production starts it, without npm in between.
 */
function productionStartArguments(): string[] {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  const [command, ...args] = manifest.scripts['start:prod'].trim().split(/\s+/);
  if (command !== 'node' || !args.includes('dist/main.js')) {
    throw new Error(`start:prod is expected to be "node [flags] dist/main.js", not "${command}"`);
  }
  return args;
}

/** Signs the users in through the API, a few at a time (each login is a bcrypt compare). */
async function signInMany(http: ApiClient, usernames: string[], inFlight = 8): Promise<Tokens[]> {
  const tokens: Tokens[] = [];
  for (let start = 0; start < usernames.length; start += inFlight) {
    const batch = usernames.slice(start, start + inFlight);
    tokens.push(...(await Promise.all(batch.map((username) => http.login(username)))));
  }
  return tokens;
}

/**
 * For autocannon's `setupClient`: each new connection takes the next token in turn, so that with
 * as many tokens as connections every connection is a different user. Called once per load run,
 * so every run starts from the first token. The token goes in a bearer header unless `headers`
 * says otherwise.
 */
function oneTokenPerConnection(
  accessTokens: string[],
  headers: (token: string) => Record<string, string> = (token) => ({
    authorization: `Bearer ${token}`,
  }),
): () => (client: autocannon.Client) => void {
  return () => {
    let next = 0;
    return (client) => {
      client.setHeaders(headers(accessTokens[next++ % accessTokens.length]));
    };
  };
}

/**
 * Runs a load and adds the server's CPU time per request: steadier than req/s on a shared or
 * noisy machine, since it does not depend on how much CPU the server was given.
 */
async function loadWithCpu(child: ChildProcess, options: LoadOptions): Promise<LoadResult> {
  const before = cpuMicros(child);
  const result = await runLoad(options);
  const used = cpuMicros(child) - before;
  return { ...result, cpuMicrosPerRequest: round(used / Math.max(1, result.total)) };
}

function rssMb(child: ChildProcess): number {
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
  const kilobytes = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
  return round(kilobytes / 1024, 1);
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

function formatTable(report: Report): string {
  const rows: string[][] = [];
  const load = (name: string, result: Measured, note = ''): void => {
    if (typeof result === 'string') {
      rows.push([name, result, '', '', '', '', note]);
      return;
    }
    rows.push([
      name,
      String(result.requestsPerSecond),
      String(result.p50Ms),
      String(result.p99Ms),
      String(result.non2xx + result.errors),
      result.cpuMicrosPerRequest === undefined ? '' : String(result.cpuMicrosPerRequest),
      note,
    ]);
  };
  const figure = (name: string, value: string, note = ''): void => {
    rows.push([name, value, '', '', '', '', note]);
  };
  const small = report.me.smallUsers;
  const usersLabel = (count: number): string => count.toLocaleString('en-US');
  const profile = PROFILES[report.profile];
  load(
    `GET /users/me, 50 conn, ${usersLabel(profile.smallUsers)} users`,
    small,
    `one signed-in user per connection (${ME_CONNECTIONS} tokens)`,
  );
  load(
    'GET /users/me by cookie, 50 conn',
    report.meByCookie,
    `the same tokens as access_token cookies; ${report.meCookieToBearerRatio} × bearer req/s`,
  );
  load('reference node:http, 50 conn', report.me.reference, 'the same tokens');
  figure(
    'ratio project / reference (req/s)',
    String(report.meRatioToReference),
    'headline; target ≥ 0.5 SQLite, ≥ 0.3 PostgreSQL',
  );
  figure(
    'ratio reference / project (server CPU per request)',
    String(report.meCpuRatioToReference),
    'the same comparison, insensitive to other load on the machine',
  );
  load('GET /posts, 50 conn', report.posts);
  load('POST /auth/refresh, 50 conn', report.refresh, 'each connection chains its own token');
  figure(
    'logins/s, 8 in flight',
    String(report.login.loginsPerSecond),
    `bcrypt cost ${report.bcryptCost}`,
  );
  figure('raw bcrypt.compare/s, 8 in flight', String(report.login.rawBcryptPerSecond));
  figure('ratio logins / raw bcrypt', String(report.login.ratio), 'target ≥ 0.85');
  load(
    'GET /users/me, 10 conn, 8 logins in flight',
    report.meWhileLoggingIn,
    `p99 target ≤ 50 ms; ${report.meWhileLoggingIn.loginsPerSecond} logins/s meanwhile`,
  );
  figure('start-up to first healthy response', `${report.startupMs} ms`);
  figure(
    'RSS after round 1 / 2 / 5',
    `${report.rssMb.afterRound1} / ${report.rssMb.afterRound2} / ${report.rssMb.afterRound5} MB`,
  );
  load(`GET /users/me, 50 conn, ${usersLabel(profile.largeUsers)} users`, report.me.largeUsers);
  figure(
    `ratio ${usersLabel(profile.largeUsers)} / ${usersLabel(profile.smallUsers)} users`,
    String(report.meLargeToSmallRatio),
    'target ≥ 0.9',
  );
  load(
    `GET /users?search=, 10 conn, ${usersLabel(profile.largeUsers)} users`,
    report.adminSearch,
    'p99 target < 100 ms on PostgreSQL',
  );
  load('POST /auth/password/forgot, 50 conn, known', report.forgot.known, 'a mail queued each');
  load('POST /auth/password/forgot, 50 conn, unknown', report.forgot.unknown);
  figure(
    'ratio forgot known / unknown (req/s)',
    String(report.forgot.ratio),
    'below 1 under saturation: a known address costs a token and a mail, written after the answer',
  );
  addAsymmetricRows(report, load, figure);

  const header = [
    'measurement',
    'req/s or value',
    'p50 ms',
    'p99 ms',
    'non-2xx',
    'server CPU µs/req',
    'note',
  ];
  const title =
    `nest-auth bench (${report.profile}, ${report.database}, ${report.machine.cpus} × ${report.machine.cpuModel}, ` +
    `node ${report.machine.node}, ${report.startedAt})`;
  const line = (cells: string[]): string => `| ${cells.join(' | ')} |`;
  return [title, '', line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** The ES256 rows of the table: the headline with asymmetric tokens, and the signing cost. */
function addAsymmetricRows(
  report: Report,
  load: (name: string, result: Measured, note?: string) => void,
  figure: (name: string, value: string, note?: string) => void,
): void {
  const { asymmetric, signing } = report;
  load(
    `GET /users/me, 50 conn, ${asymmetric.algorithm} tokens`,
    asymmetric.me,
    `a second app with JWT_ALGORITHM=${asymmetric.algorithm}, same database and load`,
  );
  figure(
    `ratio ${asymmetric.algorithm} project / reference (req/s / CPU)`,
    `${asymmetric.meRatioToReference} / ${asymmetric.meCpuRatioToReference}`,
    'target ≥ 0.45 (the reference checks HS256)',
  );
  figure(
    'µs per access token signed (one per login and per refresh)',
    `HS256 ${signing.hs256SignMicros} / ES256 ${signing.es256SignMicros} / RS256 ${signing.rs256SignMicros}`,
    `in-process jsonwebtoken.sign; an ES256 verify is ${signing.es256VerifyMicros} µs, paid once per token thanks to the cache`,
  );
}

function assertNumbers(report: Report): void {
  const loads: [string, Measured][] = [
    ['/users/me', report.me.smallUsers],
    ['/users/me by cookie', report.meByCookie],
    ['/users/me at scale', report.me.largeUsers],
    ['reference', report.me.reference],
    ['/users/me during logins', report.meWhileLoggingIn],
    ['/posts', report.posts],
    ['/auth/refresh', report.refresh],
    ['admin search', report.adminSearch],
    ['forgot, known', report.forgot.known],
    ['forgot, unknown', report.forgot.unknown],
    ['/users/me with ES256 tokens', report.asymmetric.me],
  ];
  const problems: string[] = [];
  for (const [name, result] of loads) {
    if (typeof result === 'string') {
      continue;
    }
    if (!(result.total > 0) || !Number.isFinite(result.p99Ms)) {
      problems.push(`${name}: no requests completed`);
    }
    if (result.non2xx + result.errors > 0) {
      problems.push(`${name}: ${result.non2xx} non-2xx, ${result.errors} errors`);
    }
  }
  const figures: [string, number][] = [
    ['logins/s', report.login.loginsPerSecond],
    ['raw bcrypt/s', report.login.rawBcryptPerSecond],
    ['start-up', report.startupMs],
    ['RSS', report.rssMb.afterRound5],
    ['HS256 sign', report.signing.hs256SignMicros],
    ['ES256 sign', report.signing.es256SignMicros],
    ['RS256 sign', report.signing.rs256SignMicros],
    ['ES256 verify', report.signing.es256VerifyMicros],
  ];
  for (const [name, value] of figures) {
    if (!(value > 0)) {
      problems.push(`${name}: ${value}`);
    }
  }
  if (problems.length > 0) {
    throw new Error(`smoke failed:\n${problems.join('\n')}`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
