import type { TestApp } from './create-test-app';
import type { TestUser } from './factories/user.factory';

export interface Tokens {
  access_token: string;
  token_type: string;
  expires_in: number;
  refresh_token: string;
  refresh_expires_in: number;
}

/** Signs in through the OAuth2 password form, as Swagger UI does, and expects success. */
export async function login(testApp: TestApp, testUser: TestUser): Promise<Tokens> {
  const response = await testApp
    .http()
    .post('/api/v1/auth/login')
    .type('form')
    .send({ username: testUser.user.username, password: testUser.password });
  if (response.status !== 200) {
    throw new Error(`login failed with ${response.status}: ${JSON.stringify(response.body)}`);
  }
  return response.body as Tokens;
}

export function bearer(token: string): { Authorization: string } {
  return { Authorization: `Bearer ${token}` };
}
