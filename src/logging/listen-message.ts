/** Addresses that mean "every interface": a browser cannot open them, localhost it can. */
const ANY_ADDRESS = new Set(['0.0.0.0', '::', '']);

/** The start-up line that tells a newcomer where the server is and where to go first. */
export function listenMessage(host: string, port: number): string {
  const listenUrl = `http://${urlHost(host)}:${port}`;
  const docsHost = ANY_ADDRESS.has(host) ? 'localhost' : urlHost(host);
  return `Listening on ${listenUrl}; API docs at http://${docsHost}:${port}/docs`;
}

function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
