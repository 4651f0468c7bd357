import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: unknown;
  text: string;
}

export interface AddressedRequest {
  method?: string;
  path: string;
  /** Sent as a form when `form` is true, as JSON otherwise. */
  body?: Record<string, string>;
  form?: boolean;
  headers?: Record<string, string>;
  /** The client's source address: any 127.x.y.z works on Linux's loopback. */
  from: string;
}

/**
 * Makes the app listen on a real port (once) and returns a client whose requests leave from a
 * chosen loopback address, so one test can play several clients.
 */
export async function addressedClient(
  app: NestFastifyApplication,
): Promise<(request: AddressedRequest) => Promise<RawResponse>> {
  const server = app.getHttpServer();
  if (!server.listening) {
    await app.listen(0, '0.0.0.0');
  }
  const { port } = server.address() as AddressInfo;
  return (options) => send(port, options);
}

function send(port: number, options: AddressedRequest): Promise<RawResponse> {
  const payload =
    options.body === undefined
      ? undefined
      : options.form
        ? new URLSearchParams(options.body).toString()
        : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      {
        host: '127.0.0.1',
        port,
        localAddress: options.from,
        method: options.method ?? 'POST',
        path: options.path,
        agent: false,
        headers: {
          ...(payload === undefined
            ? {}
            : {
                'content-type': options.form
                  ? 'application/x-www-form-urlencoded'
                  : 'application/json',
                'content-length': Buffer.byteLength(payload),
              }),
          ...options.headers,
        },
      },
      (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          try {
            body = JSON.parse(text);
          } catch {
            // Not JSON: keep the text.
          }
          resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, body, text });
        });
        incoming.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(payload);
  });
}
