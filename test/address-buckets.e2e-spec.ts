import { addressBucket } from '../src/rate-limit/address-bucket';
import { addressedClient, type AddressedRequest, type RawResponse } from './support/client-address';
import { createTestApp, type TestApp } from './support/create-test-app';
import { createUser } from './support/factories/user.factory';

const LIMIT = 3;
const PROXY = '127.0.3.2';

describe(addressBucket.name, () => {
  describe('behind a trusted proxy (TRUST_PROXY=1)', () => {
    let testApp: TestApp;
    let send: (request: AddressedRequest) => Promise<RawResponse>;

    beforeAll(async () => {
      testApp = await createTestApp({
        TRUST_PROXY: '1',
        LOGIN_MAX_ATTEMPTS: String(LIMIT),
        AUTH_RATE_LIMIT: String(LIMIT),
      });
      send = await addressedClient(testApp.app);
    });

    afterAll(async () => {
      await testApp.close();
    });

    const failLogin = async (client: string): Promise<RawResponse> => {
      // A fresh account each time: only the address counter can be the one that fills up.
      const { user } = await createUser(testApp.dataSource);
      return send({
        path: '/api/v1/auth/login',
        from: PROXY,
        body: { username: user.username, password: 'wrong-password' },
        headers: { 'X-Forwarded-For': client },
      });
    };

    it('counts failed logins from one IPv6 /64 together, whichever addresses of it are used', async () => {
      const statuses: number[] = [];
      for (let attempt = 0; attempt < LIMIT; attempt += 1) {
        statuses.push((await failLogin(`2001:db8:aa:1::${attempt + 1}`)).status);
      }

      const sameNetwork = await failLogin('2001:db8:aa:1:ffff:ffff:ffff:fffe');
      const otherNetwork = await failLogin('2001:db8:aa:2::1');

      expect(statuses).toEqual([401, 401, 401]);
      expect(sameNetwork.status).toBe(429);
      expect(sameNetwork.body).toMatchObject({
        message: 'Too many failed login attempts; try again later',
      });
      expect(otherNetwork.status).toBe(401);
    });

    it('counts an IPv4 client and its IPv4-mapped IPv6 form as one address', async () => {
      const statuses: number[] = [];
      for (const client of ['198.51.100.20', '::ffff:198.51.100.20', '::FFFF:c633:6414']) {
        statuses.push((await failLogin(client)).status);
      }

      const dotted = await failLogin('198.51.100.20');
      const neighbour = await failLogin('198.51.100.21');

      expect(statuses).toEqual([401, 401, 401]);
      expect(dotted.status).toBe(429);
      expect(neighbour.status).toBe(401);
    });

    it('applies AUTH_RATE_LIMIT to the /64 too', async () => {
      const register = (client: string): Promise<RawResponse> =>
        send({
          path: '/api/v1/auth/register',
          from: PROXY,
          body: {},
          headers: { 'X-Forwarded-For': client },
        });

      const statuses: number[] = [];
      for (let request = 0; request <= LIMIT; request += 1) {
        statuses.push((await register(`2001:db8:bb:7:${request}::${request + 1}`)).status);
      }
      const otherNetwork = await register('2001:db8:bb:8::1');

      expect(statuses).toEqual([400, 400, 400, 429]);
      expect(otherNetwork.status).toBe(400);
    });

    it('keeps the full address in the session list', async () => {
      const testUser = await createUser(testApp.dataSource);
      const client = '2001:db8:cc:1:1234:5678:9abc:def0';
      const signedIn = await send({
        path: '/api/v1/auth/login',
        from: PROXY,
        body: { username: testUser.user.username, password: testUser.password },
        headers: { 'X-Forwarded-For': client },
      });
      const token = (signedIn.body as { access_token: string }).access_token;

      const sessions = await send({
        method: 'GET',
        path: '/api/v1/users/me/sessions',
        from: PROXY,
        headers: { Authorization: `Bearer ${token}` },
      });

      expect(signedIn.status).toBe(200);
      expect(sessions.body).toEqual([expect.objectContaining({ ip: client, current: true })]);
    });
  });
});
