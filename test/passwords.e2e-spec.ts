import bcrypt from 'bcrypt';
import { PasswordHasher } from '../src/users/password-hasher.service';
import { User } from '../src/users/user.entity';
import {
  PASSWORD_COMMON_MESSAGE,
  PASSWORD_PERSONAL_MESSAGE,
} from '../src/users/validation/password-policy';
import { login } from './support/auth-helpers';
import { createTestApp, type TestApp } from './support/create-test-app';
import { createUser, uniqueName } from './support/factories/user.factory';

describe('Password rules', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    // Cost 5 where the factory hashes at 4: every factory user has an outdated hash.
    testApp = await createTestApp({ BCRYPT_COST: '5' });
  });

  afterAll(async () => {
    await testApp.close();
  });

  const register = (password: string, username = uniqueName()) =>
    testApp
      .http()
      .post('/api/v1/auth/register')
      .send({ email: `${username}@example.com`, username, password });

  describe('POST /auth/register', () => {
    it.each(['password123', 'qwertyuiop', 'Password1!', 'iloveyou2024'])(
      'returns 400 for the common password %j',
      async (password) => {
        const response = await register(password);

        expect(response.status).toBe(400);
        expect(response.body).toEqual({
          statusCode: 400,
          message: [PASSWORD_COMMON_MESSAGE],
          error: 'Bad Request',
        });
      },
    );

    it('returns 400 for a password containing the username', async () => {
      const username = uniqueName('zq');

      const response = await register(`Horse-${username}-Battery`, username);

      expect(response.status).toBe(400);
      expect(response.body.message).toEqual([PASSWORD_PERSONAL_MESSAGE]);
    });

    it('returns 400 for a password containing the email local part', async () => {
      const local = uniqueName('mail');
      const response = await testApp
        .http()
        .post('/api/v1/auth/register')
        .send({ email: `${local}@example.com`, username: uniqueName(), password: `x${local}!9` });

      expect(response.status).toBe(400);
      expect(response.body.message).toEqual([PASSWORD_PERSONAL_MESSAGE]);
    });

    it('returns one length message for a password over 72 bytes', async () => {
      const response = await register('vY7#qLm2!zR9'.repeat(6) + 'x');

      expect(response.status).toBe(400);
      expect(response.body.message).toEqual(['password must be 8 to 72 bytes long']);
    });

    it('accepts a strong password', async () => {
      const response = await register('lantern orbit pickle');

      expect(response.status).toBe(201);
    });
  });

  describe('POST /auth/login', () => {
    it('upgrades a hash made at an older BCRYPT_COST on a successful login', async () => {
      const testUser = await createUser(testApp.dataSource);
      const repository = testApp.dataSource.getRepository(User);
      expect(bcrypt.getRounds(testUser.user.passwordHash)).toBe(4);

      await login(testApp, testUser);

      const { passwordHash } = await repository.findOneByOrFail({ id: testUser.user.id });
      expect(bcrypt.getRounds(passwordHash)).toBe(5);
      expect(await bcrypt.compare(testUser.password, passwordHash)).toBe(true);
      await login(testApp, testUser);
    });

    it('keeps a password changed while the login upgraded the old hash, and fails that login', async () => {
      const testUser = await createUser(testApp.dataSource);
      const repository = testApp.dataSource.getRepository(User);
      const changedHash = await bcrypt.hash('a password set meanwhile', 5);
      const hasher = testApp.app.get(PasswordHasher);
      const hash = hasher.hash.bind(hasher);
      // The password is changed between the login's check and its upgrade of the hash.
      const spy = jest.spyOn(hasher, 'hash').mockImplementationOnce(async (password) => {
        await repository.update({ id: testUser.user.id }, { passwordHash: changedHash });
        return hash(password);
      });

      const response = await testApp
        .http()
        .post('/api/v1/auth/login')
        .type('form')
        .send({ username: testUser.user.username, password: testUser.password });
      spy.mockRestore();

      expect(response.status).toBe(401);
      const stored = await repository.findOneByOrFail({ id: testUser.user.id });
      expect(stored.passwordHash).toBe(changedHash);
    });

    it('keeps the hash after a wrong password', async () => {
      const testUser = await createUser(testApp.dataSource);

      await testApp
        .http()
        .post('/api/v1/auth/login')
        .type('form')
        .send({ username: testUser.user.email, password: 'not-the-password' })
        .expect(401);

      const stored = await testApp.dataSource
        .getRepository(User)
        .findOneByOrFail({ id: testUser.user.id });
      expect(stored.passwordHash).toBe(testUser.user.passwordHash);
    });
  });

  describe('POST /auth/login with LOGIN_MAX_ATTEMPTS=2', () => {
    let limited: TestApp;

    beforeAll(async () => {
      limited = await createTestApp({ LOGIN_MAX_ATTEMPTS: '2' });
    });

    afterAll(async () => {
      await limited.close();
    });

    const loginWith = (username: string, password: string) =>
      limited.http().post('/api/v1/auth/login').type('form').send({ username, password });

    it('refuses a password over 72 bytes whose first 72 are the password, as a counted failure', async () => {
      // 72 bytes: bcrypt compares only these, so any suffix used to pass as well.
      const password = 'é'.repeat(30) + 'lantern pick';
      expect(Buffer.byteLength(password)).toBe(72);
      const testUser = await createUser(limited.dataSource, { password });
      const username = testUser.user.username;
      expect((await loginWith(username, password)).status).toBe(200);

      for (const suffix of ['x', ' and anything at all']) {
        const response = await loginWith(username, password + suffix);
        expect(response.status).toBe(401);
        expect(response.body).toMatchObject({ message: 'Incorrect username or password' });
      }

      // Both failures counted on the account: the right password is refused unchecked now.
      expect((await loginWith(username, password)).status).toBe(429);
    });
  });
});
