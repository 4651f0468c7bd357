import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { setupSwagger } from '../../src/swagger';
import { createTestApp, type TestApp } from '../support/create-test-app';
import { createUser, uniqueName } from '../support/factories/user.factory';
import { enableTotp } from '../support/mfa-helpers';

const CHROMIUM = '/usr/bin/chromium';
const PASSWORD = 'correct horse battery staple';
/** Reports Content-Security-Policy violations to the console, where the test collects them. */
const REPORT_CSP_VIOLATIONS = `
  document.addEventListener('securitypolicyviolation', (event) => {
    console.error('CSP violation: ' + event.violatedDirective + ' ' + event.blockedURI);
  });
`;

describe(setupSwagger.name, () => {
  let testApp: TestApp;
  let baseUrl: string;
  let userDataDirectory: string;
  let context: BrowserContext;
  let page: Page;
  const consoleMessages: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    testApp = await createTestApp();
    await testApp.app.listen(0, '127.0.0.1');
    baseUrl = await testApp.app.getUrl();
    userDataDirectory = mkdtempSync(join(tmpdir(), 'nest-auth-chromium-'));
    context = await chromium.launchPersistentContext(userDataDirectory, {
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
    page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(30_000);
    await page.addInitScript(REPORT_CSP_VIOLATIONS);
    page.on('console', (message) => consoleMessages.push(`${message.type()}: ${message.text()}`));
    page.on('pageerror', (error) => pageErrors.push(error.message));
  });

  afterAll(async () => {
    await context?.close();
    await testApp?.close();
    if (userDataDirectory) {
      rmSync(userDataDirectory, { recursive: true, force: true });
    }
  });

  it('signs in through Authorize and calls GET /users/me with the token (Swagger UI in Chromium)', async () => {
    const username = uniqueName('ui');
    const email = `${username}@example.com`;
    await testApp
      .http()
      .post('/api/v1/auth/register')
      .send({ email, username, password: PASSWORD })
      .expect(201);

    await page.goto(`${baseUrl}/docs`);
    const information = page.locator('.swagger-ui .information-container');
    await information.waitFor();

    // The first steps, at the top of the page.
    await expect(information.innerText()).resolves.toContain('First steps');
    await expect(information.locator('ol > li').allInnerTexts()).resolves.toEqual([
      expect.stringContaining('POST /api/v1/auth/register'),
      expect.stringContaining('Authorize'),
      expect.stringContaining('GET /api/v1/users/me'),
    ]);

    // The OAuth2 password flow dialog: username and password only, no stock scope text.
    await page.locator('.auth-wrapper button.authorize').click();
    const dialog = page.locator('.dialog-ux .modal-ux');
    await dialog.locator('#oauth_username').waitFor();
    expect(await dialog.innerText()).not.toMatch(/Scopes are used|client_id|client_secret/);
    await expect(dialog.locator('#client_secret_password').isVisible()).resolves.toBe(false);
    await expect(dialog.locator('#oauth_password').isVisible()).resolves.toBe(true);

    // The OAuth2 scheme's own button: the bearer schemes (second factor, introspection) have one too.
    const oauth2Scheme = dialog.locator('.auth-container', {
      hasText: 'oauth2 (OAuth2, password)',
    });

    // A wrong password: the dialog shows the server's message, not only "Unauthorized".
    await dialog.locator('#oauth_username').fill(username);
    await dialog.locator('#oauth_password').fill(`${PASSWORD}!`);
    const refused = page.waitForResponse((response) =>
      response.url().endsWith('/api/v1/auth/login'),
    );
    await oauth2Scheme.locator('.auth-btn-wrapper button.authorize').click();
    expect((await refused).status()).toBe(401);
    await expect(dialog.locator('.errors').innerText()).resolves.toContain(
      'Incorrect username or password',
    );

    await dialog.locator('#oauth_password').fill(PASSWORD);
    const tokenResponse = page.waitForResponse((response) =>
      response.url().endsWith('/api/v1/auth/login'),
    );
    await oauth2Scheme.locator('.auth-btn-wrapper button.authorize').click();
    expect((await tokenResponse).status()).toBe(200);
    await oauth2Scheme.locator('h6', { hasText: 'Authorized' }).waitFor();
    // Signed in: no `client_secret: ******` line for a secret nobody entered.
    expect(await oauth2Scheme.innerText()).not.toMatch(/client_secret|client_id/);
    await oauth2Scheme.locator('button.btn-done').click();
    await dialog.waitFor({ state: 'detached' });

    // GET /users/me: expand, Try it out, Execute.
    const operation = page.locator('.opblock.opblock-get', {
      has: page.locator('[data-path="/api/v1/users/me"]'),
    });
    await operation.locator('.opblock-summary').first().click();
    await operation.locator('button.try-out__btn').click();
    const meResponse = page.waitForResponse((response) =>
      response.url().endsWith('/api/v1/users/me'),
    );
    await operation.locator('button.execute').click();
    expect((await meResponse).status()).toBe(200);

    const live = operation.locator('.live-responses-table');
    await expect(
      live.locator('tr.response .response-col_status').first().innerText(),
    ).resolves.toContain('200');
    await expect(
      live.locator('tr.response .response-col_description').first().innerText(),
    ).resolves.toContain(email);
    await expect(operation.locator('.curl-command').innerText()).resolves.toMatch(
      /Authorization: Bearer [\w-]+\.[\w-]+\.[\w-]+/,
    );
  });

  it('runs Swagger UI with no Content-Security-Policy violation and no script error', () => {
    const violations = consoleMessages.filter((message) =>
      /Content Security Policy|CSP violation/i.test(message),
    );

    // The page the first test drove, so there was something to report on.
    expect(new URL(page.url()).pathname).toBe('/docs');
    expect(violations).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  describe('a user with a second factor', () => {
    /** An operation's "Try it out" with a JSON body; resolves to the response the UI got. */
    async function tryItOut(method: 'get' | 'post', path: string, body?: object) {
      const operation = page.locator(`.opblock.opblock-${method}`, {
        has: page.locator(`[data-path="${path}"]`),
      });
      await operation.locator('.opblock-summary').first().click();
      await operation.locator('button.try-out__btn').click();
      if (body !== undefined) {
        const contentType = operation.locator('select[aria-label="Request content type"]');
        if ((await contentType.count()) > 0) {
          await contentType.selectOption('application/json');
        }
        await operation.locator('textarea.body-param__text').fill(JSON.stringify(body));
      }
      const response = page.waitForResponse((candidate) => candidate.url().endsWith(path));
      await operation.locator('button.execute').click();
      const answered = await response;
      const live = operation.locator('.live-responses-table tr.response').first();
      await live.locator('.response-col_status').waitFor();
      return { operation, status: answered.status(), shown: live };
    }

    it('signs in with Try it out on login and login/mfa, pastes the token into the bearer scheme, and calls GET /users/me', async () => {
      const testUser = await createUser(testApp.dataSource, { password: PASSWORD });
      const factor = await enableTotp(testApp, testUser);
      // Nothing left from another test's Authorize (persistAuthorization keeps it in storage).
      await page.goto(`${baseUrl}/docs`);
      await page.evaluate('localStorage.clear()');
      await page.reload();
      await page.locator('.swagger-ui .information-container').waitFor();

      const first = await tryItOut('post', '/api/v1/auth/login', {
        username: testUser.user.username,
        password: PASSWORD,
      });
      expect(first.status).toBe(403);
      const challenge = JSON.parse(
        await first.shown.locator('.response-col_description pre').first().innerText(),
      ) as { error: string; mfa_token: string };
      expect(challenge.error).toBe('mfa_required');

      // The recovery code is what a user without the device types; a TOTP code works alike.
      const second = await tryItOut('post', '/api/v1/auth/login/mfa', {
        mfa_token: challenge.mfa_token,
        code: factor.recoveryCodes[0],
      });
      expect(second.status).toBe(200);
      const tokens = JSON.parse(
        await second.shown.locator('.response-col_description pre').first().innerText(),
      ) as { access_token: string };

      await page.locator('.auth-wrapper button.authorize').click();
      const dialog = page.locator('.dialog-ux .modal-ux');
      const bearerScheme = dialog.locator('.auth-container', { hasText: 'bearer (http, Bearer)' });
      await bearerScheme.locator('input').fill(tokens.access_token);
      await bearerScheme.locator('button.authorize').click();
      await bearerScheme.locator('h6', { hasText: 'Authorized' }).waitFor();
      await dialog.locator('button.close-modal').click();
      await dialog.waitFor({ state: 'detached' });

      const me = await tryItOut('get', '/api/v1/users/me');
      expect(me.status).toBe(200);
      await expect(
        me.shown.locator('.response-col_description').first().innerText(),
      ).resolves.toContain(testUser.user.email);
      await expect(me.operation.locator('.curl-command').innerText()).resolves.toContain(
        `Authorization: Bearer ${tokens.access_token}`,
      );
    });
  });
});
