import { AllExceptionsFilter } from '../src/common/filters/all-exceptions.filter';
import { createTestApp, type TestApp } from './support/create-test-app';

describe(AllExceptionsFilter.name, () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await createTestApp();
  });

  afterAll(async () => {
    await testApp.close();
  });

  it('returns 413 in the Nest error shape for a body over 100 kB', async () => {
    const response = await testApp
      .http()
      .post('/api/v1/auth/register')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ email: 'a'.repeat(110 * 1024) }));

    expect(response.status).toBe(413);
    expect(response.body).toEqual({
      statusCode: 413,
      message: expect.any(String),
      error: 'Payload Too Large',
    });
  });

  it('returns 400 for malformed JSON', async () => {
    const response = await testApp
      .http()
      .post('/api/v1/auth/register')
      .set('Content-Type', 'application/json')
      .send('{"email": ');

    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
  });

  it('returns a JSON 404 for an unknown route', async () => {
    const response = await testApp.http().get('/api/v1/no-such-route');

    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
  });

  it('sends nosniff and no X-Powered-By', async () => {
    const response = await testApp.http().get('/api/v1/health/live');

    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-powered-by']).toBeUndefined();
  });
});
