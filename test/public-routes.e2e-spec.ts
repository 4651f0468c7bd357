import { Controller, Get, Module, Post, RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer, Reflector } from '@nestjs/core';
import { randomUUID } from 'node:crypto';
import { IS_PUBLIC_KEY } from '../src/auth/decorators/public.decorator';
import { Roles } from '../src/auth/decorators/roles.decorator';
import { JwtAuthGuard } from '../src/auth/guards/jwt-auth.guard';
import { Role } from '../src/users/role.enum';
import { bearer, login } from './support/auth-helpers';
import { createTestApp, type TestApp } from './support/create-test-app';
import { createUser } from './support/factories/user.factory';

/**
 * The contract's public routes, and only these, answer without a token. Adding @Public() to any
 * other route fails this test on purpose: update the contract first.
 */
const PUBLIC_ROUTES = new Set([
  'POST /api/v1/auth/register',
  'POST /api/v1/auth/login',
  'POST /api/v1/auth/refresh',
  'POST /api/v1/auth/login/mfa',
  'GET /api/v1/health',
  'GET /api/v1/health/live',
  'GET /api/v1/posts',
  'GET /api/v1/posts/:id',
  'GET /metrics',
  'POST /api/v1/auth/password/forgot',
  'POST /api/v1/auth/password/reset',
  'POST /api/v1/auth/email/verify',
  'POST /api/v1/auth/email/verify/resend',
  'POST /api/v1/auth/email/change/confirm',
  'POST /api/v1/auth/revoke',
  'POST /api/v1/auth/introspect',
  'GET /.well-known/oauth-authorization-server',
  'GET /.well-known/jwks.json',
]);

interface Route {
  method: string;
  path: string;
  isPublic: boolean;
}

/** Every route of every controller in the running app, as Fastify serves it. */
function discoverRoutes(testApp: TestApp): Route[] {
  const reflector = new Reflector();
  const fastify = testApp.app.getHttpAdapter().getInstance();
  const routes: Route[] = [];
  for (const module of testApp.app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new () => object) | null;
      if (!controller) {
        continue;
      }
      const base = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
      for (const name of Object.getOwnPropertyNames(controller.prototype)) {
        const handler = (controller.prototype as Record<string, unknown>)[name];
        if (name === 'constructor' || typeof handler !== 'function') {
          continue;
        }
        const requestMethod = Reflect.getMetadata(METHOD_METADATA, handler) as
          RequestMethod | undefined;
        if (requestMethod === undefined) {
          continue;
        }
        const method = RequestMethod[requestMethod];
        const suffix = String(Reflect.getMetadata(PATH_METADATA, handler) ?? '');
        const relative = `/${[base, suffix].filter((part) => part && part !== '/').join('/')}`
          .replace(/\/+/g, '/')
          .replace(/\/$/, '');
        // The global prefix applies to every route but those excluded from it (/metrics).
        const path = [`/api/v1${relative}`, relative].find((url) =>
          fastify.hasRoute({ method, url }),
        );
        if (!path) {
          throw new Error(`${method} ${relative} is not served`);
        }
        const isPublic = Boolean(
          reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, [handler as () => void, controller]),
        );
        routes.push({ method, path, isPublic });
      }
    }
  }
  return routes;
}

describe(JwtAuthGuard.name, () => {
  describe('the guard map', () => {
    let testApp: TestApp;
    let routes: Route[];

    beforeAll(async () => {
      testApp = await createTestApp();
      routes = discoverRoutes(testApp);
    });

    afterAll(async () => {
      await testApp.close();
    });

    it('finds the routes of every module', () => {
      const keys = routes.map((route) => `${route.method} ${route.path}`);

      expect(keys).toEqual(
        expect.arrayContaining([
          'POST /api/v1/auth/login',
          'GET /api/v1/users/me',
          'GET /api/v1/users',
          'DELETE /api/v1/users/:id',
          'GET /api/v1/posts',
          'PATCH /api/v1/posts/:id',
          'GET /api/v1/health',
        ]),
      );
    });

    it('marks only contract routes @Public()', () => {
      const open = routes
        .filter((route) => route.isPublic)
        .map((route) => `${route.method} ${route.path}`);

      expect(open.filter((key) => !PUBLIC_ROUTES.has(key))).toEqual([]);
    });

    it('answers 401 without a token on every other route', async () => {
      const protectedRoutes = routes.filter(
        (route) => !PUBLIC_ROUTES.has(`${route.method} ${route.path}`),
      );
      expect(protectedRoutes.length).toBeGreaterThan(5);

      const answers = await Promise.all(
        protectedRoutes.map(async (route) => {
          const url = route.path.replace(/:[^/]+/g, randomUUID());
          const response = await testApp.http()[route.method.toLowerCase() as 'get'](url).send({});
          return `${route.method} ${route.path} -> ${response.status}`;
        }),
      );

      expect(answers).toEqual(
        protectedRoutes.map((route) => `${route.method} ${route.path} -> 401`),
      );
    });

    it('answers the public routes without a token', async () => {
      const posts = await testApp.http().get('/api/v1/posts');
      const health = await testApp.http().get('/api/v1/health/live');
      const docs = await testApp.http().get('/docs-json');

      expect(posts.status).toBe(200);
      expect(health.status).toBe(200);
      expect(docs.status).toBe(200);
    });
  });

  describe('a freshly added controller', () => {
    // What a team adds first: a controller with no auth code at all, and one restricted to admins.
    @Controller('fresh')
    class FreshController {
      @Get()
      read(): { ok: true } {
        return { ok: true };
      }

      @Post()
      write(): { ok: true } {
        return { ok: true };
      }
    }

    @Roles('admin')
    @Controller('fresh-admin')
    class FreshAdminController {
      @Get()
      read(): { ok: true } {
        return { ok: true };
      }
    }

    @Module({ controllers: [FreshController, FreshAdminController] })
    class FreshModule {}

    let testApp: TestApp;

    beforeAll(async () => {
      testApp = await createTestApp({}, { imports: [FreshModule] });
    });

    afterAll(async () => {
      await testApp.close();
    });

    it('is protected with no decorators', async () => {
      const read = await testApp.http().get('/api/v1/fresh');
      const write = await testApp.http().post('/api/v1/fresh').send({});

      expect(read.status).toBe(401);
      expect(read.headers['www-authenticate']).toBe('Bearer');
      expect(write.status).toBe(401);
    });

    it('answers a signed-in user', async () => {
      const tokens = await login(testApp, await createUser(testApp.dataSource));

      const response = await testApp.http().get('/api/v1/fresh').set(bearer(tokens.access_token));

      expect(response.status).toBe(200);
      expect(response.body).toEqual({ ok: true });
    });

    it('restricts a class-level @Roles("admin") controller to admins', async () => {
      const user = await login(testApp, await createUser(testApp.dataSource));
      const admin = await login(
        testApp,
        await createUser(testApp.dataSource, { roles: [Role.Admin] }),
      );

      const anonymous = await testApp.http().get('/api/v1/fresh-admin');
      const asUser = await testApp.http().get('/api/v1/fresh-admin').set(bearer(user.access_token));
      const asAdmin = await testApp
        .http()
        .get('/api/v1/fresh-admin')
        .set(bearer(admin.access_token));

      expect(anonymous.status).toBe(401);
      expect(asUser.status).toBe(403);
      expect(asAdmin.status).toBe(200);
    });
  });
});
