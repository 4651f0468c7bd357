import { User } from '../src/users/user.entity';
import { createTestApp, type TestApp } from './support/create-test-app';
import { uniqueName } from './support/factories/user.factory';

const CONCURRENT = 20;

describe('Concurrent requests', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await createTestApp({ AUTH_RATE_LIMIT: '1000' });
  });

  afterAll(async () => {
    await testApp.close();
  });

  describe('POST /auth/register', () => {
    it('creates exactly one account when 20 registrations of one email race', async () => {
      const email = `${uniqueName('race')}@example.com`;

      const responses = await Promise.all(
        Array.from({ length: CONCURRENT }, (_, index) =>
          testApp
            .http()
            .post('/api/v1/auth/register')
            // Same email, in varying case, each with its own username.
            .send({
              email: index % 2 === 0 ? email : email.toUpperCase(),
              username: uniqueName('racer'),
              password: 'lantern orbit pickle',
            }),
        ),
      );

      const statuses = responses.map((response) => response.status);
      expect(statuses.filter((status) => status === 201)).toHaveLength(1);
      expect(statuses.filter((status) => status === 409)).toHaveLength(CONCURRENT - 1);
      const rows = await testApp.dataSource
        .getRepository(User)
        .createQueryBuilder('user')
        .where('lower(user.email) = :email', { email })
        .getCount();
      expect(rows).toBe(1);
    });

    it('creates exactly one account when 20 registrations of one username race', async () => {
      const username = uniqueName('same');

      const responses = await Promise.all(
        Array.from({ length: CONCURRENT }, () =>
          testApp
            .http()
            .post('/api/v1/auth/register')
            .send({
              email: `${uniqueName('mail')}@example.com`,
              username,
              password: 'lantern orbit pickle',
            }),
        ),
      );

      const statuses = responses.map((response) => response.status);
      expect(statuses.filter((status) => status === 201)).toHaveLength(1);
      expect(statuses.filter((status) => status === 409)).toHaveLength(CONCURRENT - 1);
      for (const response of responses.filter((r) => r.status === 409)) {
        expect(response.body).toEqual({
          statusCode: 409,
          message: 'Email or username is already taken',
          error: 'Conflict',
        });
      }
    });
  });
});
