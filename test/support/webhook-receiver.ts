import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

/** The body this project POSTs (the fields the tests read). */
export interface WebhookEnvelope {
  type: string;
  timestamp: string;
  data: { id: string; userId: string | null };
}

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  body: string;
  /** What `new Webhook(secret).verify(body, headers)` returned, or its error's message. */
  verified: { ok: true; payload: unknown } | { ok: false; error: string };
  /** The status this receiver answered. */
  answered: number;
}

/**
 * A real HTTP receiver on loopback that verifies every delivery with the `standardwebhooks`
 * package, as a customer's endpoint would. It can fail the next N requests with 500, and go
 * down (port closed) and come back on the same port.
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  private failNext = 0;
  private server?: Server;

  private constructor(
    private readonly secret: string,
    private port: number,
  ) {}

  static async start(secret: string): Promise<WebhookReceiver> {
    const receiver = new WebhookReceiver(secret, 0);
    await receiver.up();
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/hooks/auth`;
  }

  /** Answer the next `count` deliveries with 500. */
  failNextWith500(count = 1): void {
    this.failNext = count;
  }

  /** Deliveries that verified, with their `webhook-id`, in arrival order. */
  get verifiedIds(): string[] {
    return this.received
      .filter((delivery) => delivery.verified.ok)
      .map((delivery) => String(delivery.headers['webhook-id']));
  }

  /** Successful deliveries' payloads (what a receiver acts on), in arrival order. */
  accepted(): WebhookEnvelope[] {
    return this.received.flatMap((delivery) =>
      delivery.answered === 200 && delivery.verified.ok
        ? [delivery.verified.payload as WebhookEnvelope]
        : [],
    );
  }

  async waitForAccepted(count: number, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.accepted().length < count) {
      if (Date.now() > deadline) {
        throw new Error(`${this.accepted().length} webhooks accepted, waited for ${count}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  async up(): Promise<void> {
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        let verified: ReceivedWebhook['verified'];
        try {
          const payload = new Webhook(this.secret).verify(
            body,
            request.headers as Record<string, string>,
          );
          verified = { ok: true, payload };
        } catch (error) {
          verified = { ok: false, error: String(error) };
        }
        let answered = verified.ok ? 200 : 400;
        if (this.failNext > 0) {
          this.failNext -= 1;
          answered = 500;
        }
        this.received.push({ headers: request.headers, body, verified, answered });
        response.writeHead(answered, { 'content-type': 'text/plain' }).end('ok');
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** Closes the port: tries get "connection refused" until {@link up}. */
  async down(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) {
      return;
    }
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
