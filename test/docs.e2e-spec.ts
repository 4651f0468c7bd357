import type { OpenAPIObject } from '@nestjs/swagger';
import { BEARER_SCHEME, COOKIE_SCHEME, OAUTH2_SCHEME, setupSwagger } from '../src/swagger';
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
  'post /api/v1/auth/password/forgot',
  'post /api/v1/auth/password/reset',
  'post /api/v1/auth/email/verify',
  'post /api/v1/auth/email/verify/resend',
  'post /api/v1/auth/email/change/confirm',
  'post /api/v1/auth/revoke',
  'post /api/v1/auth/introspect',
  'get /.well-known/oauth-authorization-server',
  'get /.well-known/jwks.json',
]);
/** Public, but with a credential of its own rather than a user's token. */
const OWN_SCHEME_OPERATIONS = new Map([['post /api/v1/auth/introspect', 'introspection']]);

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

  it('lists full paths under /api/v1 (docs, metrics and the discovery documents aside)', () => {
    for (const path of Object.keys(document.paths)) {
      expect(path).toMatch(/^\/(api\/v1\/|metrics$|\.well-known\/)/);
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

  it('declares the access_token cookie as an apiKey scheme', () => {
    expect(document.components?.securitySchemes?.[COOKIE_SCHEME]).toMatchObject({
      type: 'apiKey',
      in: 'cookie',
      name: 'access_token',
    });
  });

  it('names the OAuth2, bearer and cookie schemes in the security of every protected operation', () => {
    const protectedOperations = operations.filter(({ key }) => !PUBLIC_OPERATIONS.has(key));

    expect(protectedOperations.map(({ key }) => key)).toContain('get /api/v1/users/me');
    for (const { key, operation } of protectedOperations) {
      expect([key, operation.security]).toEqual([
        key,
        [{ [OAUTH2_SCHEME]: [] }, { [BEARER_SCHEME]: [] }, { [COOKIE_SCHEME]: [] }],
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
      const scheme = OWN_SCHEME_OPERATIONS.get(key);
      expect([key, operation.security ?? []]).toEqual([key, scheme ? [{ [scheme]: [] }] : []]);
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

  it('documents the X-Auth-Transport header and both answers on the token routes', () => {
    for (const path of ['/api/v1/auth/login', '/api/v1/auth/refresh']) {
      const operation = document.paths[path].post;
      const parameters = (operation?.parameters ?? []) as { name: string; in: string }[];
      const success = JSON.stringify(operation?.responses['200']);

      expect([path, parameters]).toEqual([
        path,
        expect.arrayContaining([
          expect.objectContaining({ name: 'X-Auth-Transport', in: 'header' }),
        ]),
      ]);
      expect([path, success]).toEqual([path, expect.stringContaining('CookieTokenResponseDto')]);
      expect([path, success]).toEqual([path, expect.stringContaining('TokenResponseDto')]);
    }
  });

  it('gives Swagger UI no cookie scheme (a page cannot send a cookie it chose)', async () => {
    const response = await testApp.http().get('/docs/swagger-ui-init.js');

    expect(response.status).toBe(200);
    // The document is embedded as indented JSON: a security requirement reads `"name": []`.
    const requirement = (scheme: string) => new RegExp(`"${scheme}":\\s*\\[\\s*\\]`);
    expect(response.text).toContain('/api/v1/users/me');
    expect(response.text).toMatch(requirement(OAUTH2_SCHEME));
    expect(response.text).not.toMatch(requirement(COOKIE_SCHEME));
    expect(response.text).not.toMatch(/"in":\s*"cookie"/);
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

  it('documents the account flows by email with their failures and examples to paste', () => {
    const expected: Record<string, string[]> = {
      'post /api/v1/auth/password/forgot': ['202', '400', '429'],
      'post /api/v1/auth/password/reset': ['204', '400', '429'],
      'post /api/v1/auth/email/verify': ['204', '400', '429'],
      'post /api/v1/auth/email/verify/resend': ['202', '400', '429'],
      'post /api/v1/auth/email/change/confirm': ['204', '400', '409', '429'],
      'post /api/v1/users/me/email': ['202', '400', '401', '403', '409'],
    };
    for (const [key, codes] of Object.entries(expected)) {
      const operation = operations.find((each) => each.key === key)?.operation;
      expect([key, Object.keys(operation?.responses ?? {})]).toEqual([
        key,
        expect.arrayContaining(codes),
      ]);
      expect([key, operation?.description]).toEqual([key, expect.any(String)]);
      const schemaName =
        /#\/components\/schemas\/(\w+)/.exec(JSON.stringify(operation?.requestBody))?.[1] ?? '';
      const schema = document.components?.schemas?.[schemaName] as {
        properties: Record<string, { example?: unknown }>;
      };
      for (const [field, property] of Object.entries(schema.properties)) {
        expect([key, field, property.example]).toEqual([key, field, expect.anything()]);
      }
    }
  });
});
