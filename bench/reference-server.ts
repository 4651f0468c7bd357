/**
 * The yardstick for GET /api/v1/users/me: bare node:http, the same HS256 check as the project
 * (jsonwebtoken with a KeyObject: algorithm, iss, aud, exp), the user from an in-memory Map. No
 * framework, no database: what the project's ratio is measured against.
 *
 * Started by bench/run.ts with BENCH_JWT_SECRET, BENCH_JWT_ISSUER, BENCH_JWT_AUDIENCE and
 * BENCH_USERS_FILE (a JSON array of public users); it reports its port over IPC.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createSecretKey } from 'node:crypto';
import jwt from 'jsonwebtoken';

interface PublicUser {
  id: string;
  isActive: boolean;
}

const BEARER_HEADER = /^bearer ([A-Za-z0-9\-._~+/]+=*)$/i;

const env = (key: string): string => {
  const value = process.env[key];
  if (!value) {
    throw new Error(`${key} is required`);
  }
  return value;
};

const key = createSecretKey(Buffer.from(env('BENCH_JWT_SECRET'), 'utf8'));
const verifyOptions: jwt.VerifyOptions & { complete?: false } = {
  algorithms: ['HS256'],
  issuer: env('BENCH_JWT_ISSUER'),
  audience: env('BENCH_JWT_AUDIENCE'),
};
const users = new Map<string, string>();
for (const user of JSON.parse(readFileSync(env('BENCH_USERS_FILE'), 'utf8')) as PublicUser[]) {
  if (user.isActive) {
    // Serialised once: the reference does the least work a server could do per request.
    users.set(user.id, JSON.stringify(user));
  }
}

function refuse(response: ServerResponse, status: number): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  response.end(JSON.stringify({ statusCode: status }));
}

function handle(request: IncomingMessage, response: ServerResponse): void {
  if (request.method !== 'GET' || request.url !== '/api/v1/users/me') {
    refuse(response, 404);
    return;
  }
  const header = request.headers.authorization;
  const token = typeof header === 'string' ? BEARER_HEADER.exec(header)?.[1] : undefined;
  if (!token) {
    refuse(response, 401);
    return;
  }
  let sub: unknown;
  try {
    // jsonwebtoken's types accept only strings and Buffers; it handles a KeyObject as well.
    const payload = jwt.verify(token, key as unknown as Buffer, verifyOptions);
    sub = typeof payload === 'object' ? payload.sub : undefined;
  } catch {
    refuse(response, 401);
    return;
  }
  const body = typeof sub === 'string' ? users.get(sub) : undefined;
  if (body === undefined) {
    refuse(response, 401);
    return;
  }
  response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
  response.end(body);
}

const server = createServer(handle);
server.keepAliveTimeout = 72_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  process.send?.({ port });
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
