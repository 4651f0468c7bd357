import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { TokenTransportInterceptor } from '../../src/auth/cookies/token-transport.interceptor';
import { createTestApp, type TestApp } from '../support/create-test-app';
import { uniqueName } from '../support/factories/user.factory';

const CHROMIUM = '/usr/bin/chromium';
const PASSWORD = 'correct horse battery staple';
const PAGE = readFileSync(join(__dirname, 'fixtures', 'browser-app', 'index.html'));

interface CallResult {
  status: number;
  body: Record<string, unknown> | null;
}

/** The page's script (fixtures/browser-app/index.html), as the test drives it. */
interface BrowserApp {
  register(email: string, username: string, password: string): Promise<CallResult>;
  signIn(username: string, password: string): Promise<CallResult>;
  me(): Promise<CallResult>;
  writePost(title: string, content: string): Promise<CallResult>;
  refresh(): Promise<CallResult>;
  signOut(): Promise<CallResult>;
  forgeFormPost(title: string): Promise<string>;
  forgeWithToken(title: string, token: string): Promise<string>;
  cookies(): string;
}

/** The page's global object, typed here because the tests compile without the DOM library. */
interface PageGlobals {
  browserApp: BrowserApp;
}

/**
 * Typed calls into a page. Each callback runs in the browser (Playwright serializes it, so it
 * cannot use anything from this file: hence the cast repeated in each).
 */
function driver(page: Page) {
  return {
    register: (username: string) =>
      page.evaluate(
        ([name, password]) =>
          (globalThis as unknown as PageGlobals).browserApp.register(
            `${name}@example.com`,
            name,
            password,
          ),
        [username, PASSWORD],
      ),
    signIn: (username: string) =>
      page.evaluate(
        ([name, password]) =>
          (globalThis as unknown as PageGlobals).browserApp.signIn(name, password),
        [username, PASSWORD],
      ),
    me: () => page.evaluate(() => (globalThis as unknown as PageGlobals).browserApp.me()),
    writePost: (title: string) =>
      page.evaluate(
        (text) => (globalThis as unknown as PageGlobals).browserApp.writePost(text, 'Hello'),
        title,
      ),
    refresh: () => page.evaluate(() => (globalThis as unknown as PageGlobals).browserApp.refresh()),
    signOut: () => page.evaluate(() => (globalThis as unknown as PageGlobals).browserApp.signOut()),
    documentCookie: () =>
      page.evaluate(() => (globalThis as unknown as PageGlobals).browserApp.cookies()),
    forgeFormPost: (title: string) =>
      page.evaluate(
        (text) => (globalThis as unknown as PageGlobals).browserApp.forgeFormPost(text),
        title,
      ),
    forgeWithToken: (title: string, token: string) =>
      page.evaluate(
        ([text, csrf]) =>
          (globalThis as unknown as PageGlobals).browserApp.forgeWithToken(text, csrf),
        [title, token],
      ),
  };
}

/** A loopback server for the front-end page: an origin of its own beside the API's. */
async function servePage(): Promise<{ server: Server; port: number }> {
  const server = createServer((request, response) => {
    if (request.url?.split('?')[0] !== '/') {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(PAGE);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

function closeServer(server: Server | undefined): Promise<void> {
  return new Promise((resolve) => (server ? server.close(() => resolve()) : resolve()));
}

describe(TokenTransportInterceptor.name, () => {
  let testApp: TestApp;
  let api: string;
  let appServer: { server: Server; port: number };
  let foreignServer: { server: Server; port: number };
  let browser: Browser;
  let context: BrowserContext;
  let app: ReturnType<typeof driver>;
  const pageErrors: string[] = [];
  const username = uniqueName('browser');
  const postTitle = `Written in ${username}'s browser`;

  beforeAll(async () => {
    // Ports of one host name: different origins but one site (cookies belong to a host, not a
    // port), so the SameSite cookies go along with the app's credentialed cross-origin calls.
    appServer = await servePage();
    foreignServer = await servePage();
    testApp = await createTestApp({
      COOKIE_SECURE: 'false',
      CORS_ORIGINS: `http://localhost:${appServer.port}`,
    });
    await testApp.app.listen(0, '127.0.0.1');
    api = `http://localhost:${(testApp.app.getHttpServer().address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
    context = await browser.newContext();
    app = driver(await openPage(appServer.port));
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await testApp?.close();
    await closeServer(appServer?.server);
    await closeServer(foreignServer?.server);
  });

  async function openPage(port: number): Promise<Page> {
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`http://localhost:${port}/?api=${encodeURIComponent(api)}`);
    return page;
  }

  /** The token cookies as the browser holds them: the test can see them, the page cannot. */
  async function tokenCookies(): Promise<string[]> {
    const cookies = await context.cookies();
    return cookies
      .filter(({ name }) => name === 'access_token' || name === 'refresh_token')
      .map(({ value }) => value);
  }

  /** POST /posts answered 403, from the app's metrics: the forged requests that reached it. */
  async function refusedPostWrites(): Promise<number> {
    const metrics = await testApp.http().get('/metrics');
    const line = metrics.text
      .split('\n')
      .find(
        (text) =>
          text.startsWith('http_requests_total{') &&
          text.includes('method="POST"') &&
          text.includes('route="/api/v1/posts"') &&
          text.includes('status_code="403"'),
      );
    return line === undefined ? 0 : Number(line.split(' ').pop());
  }

  it('registers, signs in with cookies and calls GET /users/me from its own origin', async () => {
    const registered = await app.register(username);
    const signedIn = await app.signIn(username);
    const me = await app.me();

    expect(registered.status).toBe(201);
    expect(signedIn.status).toBe(200);
    expect(signedIn.body).toMatchObject({ token_type: 'cookie', csrf_token: expect.any(String) });
    expect(signedIn.body).not.toHaveProperty('access_token');
    expect(signedIn.body).not.toHaveProperty('refresh_token');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ username });
    expect(await tokenCookies()).toHaveLength(2);
  });

  it('writes a post with the CSRF header, and refreshes by cookie', async () => {
    const written = await app.writePost(postTitle);
    const refreshed = await app.refresh();
    const me = await app.me();

    expect(written.status).toBe(201);
    expect(written.body).toMatchObject({ title: postTitle });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body).toMatchObject({ token_type: 'cookie' });
    expect(me.status).toBe(200);
  });

  it('never shows a token to the page: document.cookie holds the CSRF token only', async () => {
    const visible = await app.documentCookie();
    const tokens = await tokenCookies();

    expect(visible).toMatch(/(^|; )csrf_token=[\w-]+$/);
    expect(visible).not.toContain('access_token');
    expect(visible).not.toContain('refresh_token');
    expect(tokens).toHaveLength(2);
    for (const token of tokens) {
      expect(visible).not.toContain(token);
    }
  });

  it('keeps a page of an origin outside CORS_ORIGINS from reading the API or writing as the user', async () => {
    const foreignPage = await openPage(foreignServer.port);
    const foreign = driver(foreignPage);
    const refusedBefore = await refusedPostWrites();

    const read = await foreign.me().then(
      (result) => `read ${result.status}`,
      (error: Error) => `refused: ${error.message}`,
    );
    // The same host: it can read the csrf_token cookie, yet CORS keeps it from sending the header.
    const stolen = /csrf_token=([\w-]+)/.exec(await foreign.documentCookie())?.[1] ?? '';
    const withToken = await foreign.forgeWithToken(`${postTitle} (forged with token)`, stolen);
    const formPost = await foreign.forgeFormPost(`${postTitle} (forged form)`);
    await foreignPage.close();
    const refusedAfter = await refusedPostWrites();
    const forged = await testApp
      .http()
      .get('/api/v1/posts')
      .query({ search: `${postTitle} (forged` });

    expect(read).toMatch(/^refused: .*Failed to fetch/);
    expect(stolen).not.toBe('');
    expect(withToken).toBe('refused: TypeError');
    expect(formPost).toMatch(/^(opaque answer|answer blocked)/);
    // The form post did reach the API, with the cookies, and was refused there.
    expect(refusedAfter - refusedBefore).toBe(1);
    expect(forged.status).toBe(200);
    expect(forged.body.total).toBe(0);
  });

  it('signs out: the session ends and the cookies are gone', async () => {
    const signedOut = await app.signOut();
    const me = await app.me();

    expect(signedOut.status).toBe(204);
    expect(me.status).toBe(401);
    expect(await app.documentCookie()).toBe('');
    expect(await tokenCookies()).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
