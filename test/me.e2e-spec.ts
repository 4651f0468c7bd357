import { MeController } from '../src/users/me.controller';
import { bearer, login } from './support/auth-helpers';
import { createTestApp, type TestApp } from './support/create-test-app';
import { createUser } from './support/factories/user.factory';

describe(MeController.name, () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await createTestApp();
  });

  afterAll(async () => {
    await testApp.close();
  });

  describe('GET /users/me', () => {
    it('returns the signed-in user in the public shape', async () => {
      const testUser = await createUser(testApp.dataSource, { fullName: 'Ada Lovelace' });
      const tokens = await login(testApp, testUser);

      const response = await testApp
        .http()
        .get('/api/v1/users/me')
        .set(bearer(tokens.access_token));

      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        id: testUser.user.id,
        email: testUser.user.email,
        username: testUser.user.username,
        fullName: 'Ada Lovelace',
        isActive: true,
        roles: ['user'],
        createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        updatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      });
    });

    it('returns 401 with WWW-Authenticate: Bearer without a token', async () => {
      const response = await testApp.http().get('/api/v1/users/me');

      expect(response.status).toBe(401);
      expect(response.headers['www-authenticate']).toBe('Bearer');
      expect(response.body).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
    });
  });
});
