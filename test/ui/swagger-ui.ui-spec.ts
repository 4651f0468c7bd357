import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { setupSwagger } from '../../src/swagger';
import { createTestApp, type TestApp } from '../support/create-test-app';
import { uniqueName } from '../support/factories/user.factory';

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
    await page.locator('.swagger-ui .information-container').waitFor();

    // The OAuth2 password flow dialog.
    await page.locator('.auth-wrapper button.authorize').click();
    const dialog = page.locator('.dialog-ux .modal-ux');
    await dialog.locator('#oauth_username').fill(username);
    await dialog.locator('#oauth_password').fill(PASSWORD);
    const tokenResponse = page.waitForResponse((response) =>
      response.url().endsWith('/api/v1/auth/login'),
    );
    // The dialog also lists the introspection endpoint's bearer scheme: use the OAuth2 one's button.
    await dialog.getByRole('button', { name: 'Apply given OAuth2 credentials' }).click();
    expect((await tokenResponse).status()).toBe(200);
    await dialog.locator('h6', { hasText: 'Authorized' }).waitFor();
    await dialog.locator('button.btn-done').first().click();
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
});
