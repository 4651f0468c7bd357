import Redis from 'ioredis';
import { createServer } from 'node:net';
import { closeRedisClient } from './close-redis-client';

/** A loopback port nothing listens on (taken, then released). */
function closedPort(): Promise<number> {
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

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

describe(closeRedisClient.name, () => {
  it('closes at once a client whose Redis is unreachable, instead of waiting to QUIT', async () => {
    const client = new Redis(await closedPort(), '127.0.0.1', { maxRetriesPerRequest: 1 });
    client.on('error', () => undefined);

    const ended = new Promise<string>((resolve) => client.once('end', () => resolve('end')));
    const started = Date.now();
    await closeRedisClient(client);

    expect(Date.now() - started).toBeLessThan(1000);
    // The socket is dropped rather than reconnected.
    await expect(Promise.race([ended, sleep(1000).then(() => 'still open')])).resolves.toBe('end');
    expect(client.status).toBe('end');
  });

  it('does nothing for a client that was already closed', async () => {
    const client = new Redis(await closedPort(), '127.0.0.1', { lazyConnect: true });
    client.disconnect();

    await expect(closeRedisClient(client)).resolves.toBeUndefined();
    expect(client.status).toBe('end');
  });
});
