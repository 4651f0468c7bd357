import { User } from '../src/users/user.entity';
import { createTestApp, type TestApp } from './support/create-test-app';
import { createUser, uniqueName } from './support/factories/user.factory';

const STRONG_PASSWORD = 'lantern orbit pickle';

describe('Input handling', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await createTestApp({ LOGIN_MAX_ATTEMPTS: '1000', AUTH_RATE_LIMIT: '1000' });
  });

  afterAll(async () => {
    await testApp.close();
  });

  const countUsers = (): Promise<number> => testApp.dataSource.getRepository(User).count();

  describe('URL-encoded bodies', () => {
    it('parses bracketed keys flat, so `username[$ne]` is a field name and never an object', async () => {
      await createUser(testApp.dataSource);

      const response = await testApp
        .http()
        .post('/api/v1/auth/login')
        .type('form')
        .send('username[$ne]=x&password[$ne]=x');

      expect(response.status).toBe(400);
      expect(response.body.message).toEqual(
        expect.arrayContaining([
          'property username[$ne] should not exist',
          'property password[$ne] should not exist',
        ]),
      );
    });

    it('treats a repeated field as a non-string and refuses it', async () => {
      const response = await testApp
        .http()
        .post('/api/v1/auth/login')
        .type('form')
        .send('username=a&username=b&password=x');

      expect(response.status).toBe(400);
      expect(response.body.message).toEqual(['username must be a string']);
    });

    it('refuses a form register body with nested keys', async () => {
      const before = await countUsers();

      const response = await testApp
        .http()
        .post('/api/v1/auth/register')
        .type('form')
        .send(
          `email=${uniqueName()}@example.com&username=${uniqueName()}` +
            `&password=${encodeURIComponent(STRONG_PASSWORD)}&roles[0]=admin`,
        );

      expect(response.status).toBe(400);
      expect(await countUsers()).toBe(before);
    });
  });

  describe('JSON bodies where a DTO is expected', () => {
    it.each([
      ['an array', '[]'],
      ['an array of a valid body', JSON.stringify([{ email: 'a@example.com' }])],
      ['a string', '"text"'],
      ['a number', '42'],
      ['true', 'true'],
      ['null', 'null'],
    ])('returns 400 for %s on register', async (_what, body) => {
      const response = await testApp
        .http()
        .post('/api/v1/auth/register')
        .set('Content-Type', 'application/json')
        .send(body);

      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    });

    it.each([
      ['an array', '[]'],
      ['a string', '"text"'],
      ['a number', '42'],
    ])('returns 400 for %s on login', async (_what, body) => {
      const response = await testApp
        .http()
        .post('/api/v1/auth/login')
        .set('Content-Type', 'application/json')
        .send(body);

      expect(response.status).toBe(400);
    });

    it('returns 400 for a number where a string is expected, with no coercion', async () => {
      const response = await testApp
        .http()
        .post('/api/v1/auth/register')
        .send({ email: `${uniqueName()}@example.com`, username: 12345, password: STRONG_PASSWORD });

      expect(response.status).toBe(400);
    });

    it('returns 413 for a body over 100 kB on login', async () => {
      const response = await testApp
        .http()
        .post('/api/v1/auth/login')
        .type('form')
        .send({ username: 'x', password: 'p'.repeat(101 * 1024) });

      expect(response.status).toBe(413);
      expect(response.body).toMatchObject({ statusCode: 413, error: 'Payload Too Large' });
    });
  });

  describe('prototype keys', () => {
    it.each([
      ['__proto__', '{"__proto__": {"roles": ["admin"], "isActive": false}}'],
      ['constructor', '{"constructor": {"prototype": {"roles": ["admin"]}}}'],
      ['a nested __proto__', '{"fullName": {"__proto__": {"roles": ["admin"]}}}'],
    ])('never lets %s reach an entity', async (_what, extra) => {
      const username = uniqueName();
      const body =
        `{"email": "${username}@example.com", "username": "${username}", ` +
        `"password": "${STRONG_PASSWORD}", ${extra.slice(1, -1)}}`;
      const before = await countUsers();

      const response = await testApp
        .http()
        .post('/api/v1/auth/register')
        .set('Content-Type', 'application/json')
        .send(body);

      expect(response.status).toBe(400);
      expect(await countUsers()).toBe(before);
      expect(({} as Record<string, unknown>).roles).toBeUndefined();
    });

    it('leaves a prototype-polluting form body without effect', async () => {
      const username = uniqueName();
      const response = await testApp
        .http()
        .post('/api/v1/auth/register')
        .type('form')
        .send(
          `email=${username}@example.com&username=${username}` +
            `&password=${encodeURIComponent(STRONG_PASSWORD)}&__proto__[roles]=admin`,
        );

      expect(response.status).toBe(400);
      expect(await testApp.dataSource.getRepository(User).findOneBy({ username })).toBeNull();
      expect(({} as Record<string, unknown>).roles).toBeUndefined();
    });

    it('registers only the fields of the DTO, with the default role', async () => {
      const username = uniqueName();

      const response = await testApp
        .http()
        .post('/api/v1/auth/register')
        .send({ email: `${username}@example.com`, username, password: STRONG_PASSWORD });

      expect(response.status).toBe(201);
      expect(response.body.roles).toEqual(['user']);
    });
  });
});
