import type Redis from 'ioredis';

/**
 * Closes an ioredis client at shutdown without waiting on a Redis that is not there: QUIT when
 * connected, a plain disconnect when Redis is down or still connecting (QUIT would wait for a
 * connection that may never come). Resolves once the socket is closed, so nothing of the app
 * still holds the connection when `app.close()` resolves.
 */
export async function closeRedisClient(client: Redis): Promise<void> {
  if (client.status === 'end') {
    return;
  }
  if (client.status !== 'ready') {
    client.disconnect();
    return;
  }
  // quit() resolves on Redis's reply; the socket closes a moment later, with 'end'.
  const ended = new Promise((resolve) => client.once('end', resolve));
  await client.quit().catch(() => client.disconnect());
  await ended;
}
