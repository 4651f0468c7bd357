import type { OpenAPIObject } from '@nestjs/swagger';
import { BEARER_SCHEME, OAUTH2_SCHEME, setupSwagger } from '../src/swagger';
import { createTestApp, type TestApp } from './support/create-test-app';

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head'] as const;
/** Operations anyone may call without a token; every other one must carry the lock. */
const PUBLIC_OPERATIONS = new Set([
  'post /api/v1/auth/register',
  'post /api/v1/auth/login',
  'post /api/v1/auth/refresh',
  'post /api/v1/auth/login/mfa',
  'get /api/v1/health',
  'get /api/v1/health/live',
  'get /api/v1/posts',
  'get /api/v1/posts/{id}',
  'get /metrics',
]);

type PathItem = OpenAPIObject['paths'][string];
type OperationObject = NonNullable<PathItem['get']>;

interface Operation {
  key: string;
  operation: OperationObject;
}

describe(setupSwagger.name, () => {
  let testApp: TestApp;
  let document: OpenAPIObject;
  let operations: Operation[];

  beforeAll(async () => {
    testApp = await createTestApp();
    const response = await testApp.http().get('/docs-json');
    document = response.body as OpenAPIObject;
    operations = Object.entries(document.paths).flatMap(([path, item]: [string, PathItem]) =>
      METHODS.flatMap((method) => {
        const operation = item[method];
        return operation ? [{ key: `${method} ${path}`, operation }] : [];
      }),
    );
  });

  afterAll(async () => {
    await testApp.close();
  });

  it('serves Swagger UI as HTML at /docs', async () => {
    const response = await testApp.http().get('/docs');

    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.text).toContain('swagger-ui');
  });

  it('serves the Swagger UI assets the page loads', async () => {
    const page = await testApp.http().get('/docs');
    const assets = [...page.text.matchAll(/(?:src|href)="\.\/(docs\/[^"]+\.(?:js|css))"/g)].map(
      (match) => match[1],
    );

    expect(assets.length).toBeGreaterThan(0);
    for (const asset of assets) {
      const response = await testApp.http().get(`/${asset}`);
      expect([asset, response.status]).toEqual([asset, 200]);
    }
  });

  it('serves an OpenAPI 3 document at /docs-json', async () => {
    const response = await testApp.http().get('/docs-json');

    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(document.openapi).toMatch(/^3\./);
    expect(operations.length).toBeGreaterThan(0);
  });

  it('declares an OAuth2 password flow whose tokenUrl is the login route', () => {
    expect(document.components?.securitySchemes?.[OAUTH2_SCHEME]).toMatchObject({
      type: 'oauth2',
      flows: { password: { tokenUrl: '/api/v1/auth/login', scopes: {} } },
    });
  });

  it('has no absolute servers', () => {
    for (const server of document.servers ?? []) {
      expect(server.url).not.toMatch(/^[a-z][a-z0-9+.-]*:\/\//i);
    }
  });

  it('lists full paths under /api/v1 (docs and metrics aside)', () => {
    for (const path of Object.keys(document.paths)) {
      expect(path).toMatch(/^\/(api\/v1\/|metrics$)/);
    }
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/auth/register',
        '/api/v1/auth/login',
        '/api/v1/users/me',
        '/api/v1/health',
        '/api/v1/health/live',
      ]),
    );
  });

  it('declares an HTTP bearer scheme, for a token pasted from POST /auth/login/mfa', () => {
    expect(document.components?.securitySchemes?.[BEARER_SCHEME]).toMatchObject({
      type: 'http',
      scheme: 'bearer',
    });
  });

  it('names the OAuth2 and the bearer scheme in the security of every protected operation', () => {
    const protectedOperations = operations.filter(({ key }) => !PUBLIC_OPERATIONS.has(key));

    expect(protectedOperations.map(({ key }) => key)).toContain('get /api/v1/users/me');
    for (const { key, operation } of protectedOperations) {
      expect([key, operation.security]).toEqual([
        key,
        [{ [OAUTH2_SCHEME]: [] }, { [BEARER_SCHEME]: [] }],
      ]);
      expect([key, Object.keys(operation.responses)]).toEqual([
        key,
        expect.arrayContaining(['401']),
      ]);
    }
  });

  it('leaves security off register, login and health', () => {
    const publicOperations = operations.filter(({ key }) => PUBLIC_OPERATIONS.has(key));

    expect(publicOperations.map(({ key }) => key)).toEqual(
      expect.arrayContaining([
        'post /api/v1/auth/register',
        'post /api/v1/auth/login',
        'get /api/v1/health',
        'get /api/v1/health/live',
      ]),
    );
    for (const { key, operation } of publicOperations) {
      expect([key, operation.security ?? []]).toEqual([key, []]);
    }
    expect(JSON.stringify(document)).not.toContain('x-public');
  });

  it('documents the login body as the OAuth2 form and as JSON', () => {
    const login = document.paths['/api/v1/auth/login'].post;
    const content = (login?.requestBody as { content: Record<string, { schema: unknown }> })
      .content;

    expect(Object.keys(content).sort()).toEqual([
      'application/json',
      'application/x-www-form-urlencoded',
    ]);
    const schemaRef = JSON.stringify(content['application/x-www-form-urlencoded'].schema);
    const schemaName = /#\/components\/schemas\/(\w+)/.exec(schemaRef)?.[1] ?? '';
    const schema = document.components?.schemas?.[schemaName] as {
      properties: Record<string, unknown>;
      required: string[];
    };
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining(['username', 'password', 'grant_type', 'scope']),
    );
    expect(schema.required.sort()).toEqual(['password', 'username']);
  });

  it('documents the register body with its limits', () => {
    const register = document.paths['/api/v1/auth/register'].post;
    const schemaRef = JSON.stringify(register?.requestBody);
    const schemaName = /#\/components\/schemas\/(\w+)/.exec(schemaRef)?.[1] ?? '';
    const schema = document.components?.schemas?.[schemaName] as {
      properties: Record<string, Record<string, unknown>>;
    };

    expect(schema.properties.email).toMatchObject({ maxLength: 254 });
    expect(schema.properties.username).toMatchObject({ minLength: 3, maxLength: 32 });
    expect(schema.properties.fullName).toMatchObject({ maxLength: 100 });
  });

  it('lists responses, a success among them, for every operation', () => {
    for (const { key, operation } of operations) {
      const codes = Object.keys(operation.responses ?? {});
      expect([key, codes.some((code) => /^2\d\d$/.test(code))]).toEqual([key, true]);
    }
  });

  it('lists the contract failures of register and login', () => {
    const codes = (key: string) =>
      Object.keys(operations.find((operation) => operation.key === key)?.operation.responses ?? {});

    expect(codes('post /api/v1/auth/register')).toEqual(
      expect.arrayContaining(['201', '400', '409']),
    );
    expect(codes('post /api/v1/auth/login')).toEqual(
      expect.arrayContaining(['200', '400', '401', '403']),
    );
  });
});
