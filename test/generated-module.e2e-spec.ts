import { bearer, login } from './support/auth-helpers';
import { createTestApp, type TestApp } from './support/create-test-app';
import { createUser } from './support/factories/user.factory';
import { NotesModule } from './support/generated-notes/notes.module';

// A module as the Nest CLI generates it, imported beside AppModule's own as `nest g resource`
// adds it to AppModule's imports: guarded with no step of its own.
describe('A generated module', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await createTestApp({}, { imports: [NotesModule] });
  });

  afterAll(async () => {
    await testApp.close();
  });

  it('answers 401 without a token', async () => {
    const read = await testApp.http().get('/api/v1/notes/1');
    const write = await testApp.http().post('/api/v1/notes').send({});

    expect(read.status).toBe(401);
    expect(read.headers['www-authenticate']).toBe('Bearer');
    expect(write.status).toBe(401);
  });

  it('answers 200 with a token', async () => {
    const tokens = await login(testApp, await createUser(testApp.dataSource));

    const response = await testApp.http().get('/api/v1/notes/7').set(bearer(tokens.access_token));

    expect(response.status).toBe(200);
    expect(response.text).toBe('This action returns a #7 note');
  });
});
