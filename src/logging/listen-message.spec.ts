import { listenMessage } from './listen-message';

describe(listenMessage.name, () => {
  it.each([
    ['0.0.0.0', 'http://0.0.0.0:3000', 'http://localhost:3000/docs'],
    ['::', 'http://[::]:3000', 'http://localhost:3000/docs'],
    ['127.0.0.1', 'http://127.0.0.1:3000', 'http://127.0.0.1:3000/docs'],
    ['::1', 'http://[::1]:3000', 'http://[::1]:3000/docs'],
    ['api.internal', 'http://api.internal:3000', 'http://api.internal:3000/docs'],
  ])('names the listen URL and a docs URL a browser can open for host %s', (host, listen, docs) => {
    expect(listenMessage(host, 3000)).toBe(`Listening on ${listen}; API docs at ${docs}`);
  });
});
