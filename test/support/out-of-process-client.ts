import { spawn, type ChildProcess } from 'node:child_process';

export interface TimedResponse {
  status: number;
  /** From the request's first byte sent to the response's last byte read, in the client. */
  elapsedMs: number;
}

/**
 * An HTTP client in a process of its own, one keep-alive connection, for timing the server as a
 * remote caller sees it. A client in the test's process shares the event loop with the app, so
 * work the app does after answering (forgot's mail, its SMTP delivery) would delay reading the
 * answer and be timed as if the answer itself were slow.
 */
export class OutOfProcessClient {
  private nextId = 0;
  private readonly pending = new Map<number, (reply: ChildReply) => void>();

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (reply: ChildReply) => {
      this.pending.get(reply.id)?.(reply);
      this.pending.delete(reply.id);
    });
  }

  static start(port: number): OutOfProcessClient {
    const child = spawn(process.execPath, ['-e', CLIENT_SOURCE, String(port)], {
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    return new OutOfProcessClient(child);
  }

  postJson(path: string, body: unknown, timeoutMs = 10_000): Promise<TimedResponse> {
    const id = this.nextId++;
    return new Promise<TimedResponse>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`No answer to POST ${path} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, (reply) => {
        clearTimeout(timer);
        if (reply.error !== undefined) {
          reject(new Error(reply.error));
        } else {
          resolve({ status: reply.status, elapsedMs: reply.elapsedMs });
        }
      });
      this.child.send({ id, path, body: JSON.stringify(body) });
    });
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null) {
      return;
    }
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.disconnect();
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 2000))]);
    if (this.child.exitCode === null) {
      this.child.kill();
    }
  }
}

interface ChildReply {
  id: number;
  status: number;
  elapsedMs: number;
  error?: string;
}

// Plain JavaScript, run with `node -e`: no compilation, nothing from the test's process.
const CLIENT_SOURCE = `
const http = require('node:http');
const port = Number(process.argv[1]);
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
process.on('disconnect', () => { agent.destroy(); process.exit(0); });
process.on('message', ({ id, path, body }) => {
  const started = process.hrtime.bigint();
  const request = http.request(
    { host: '127.0.0.1', port, path, method: 'POST', agent,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
    (response) => {
      response.resume();
      response.on('end', () => process.send({ id, status: response.statusCode,
        elapsedMs: Number(process.hrtime.bigint() - started) / 1e6 }));
    });
  request.on('error', (error) => process.send({ id, status: 0, elapsedMs: 0, error: String(error) }));
  request.end(body);
});
`;
