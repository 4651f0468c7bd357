import { randomUUID } from 'node:crypto';
import { PostsController } from '../src/posts/posts.controller';
import { Role } from '../src/users/role.enum';
import { bearer, login } from './support/auth-helpers';
import { createTestApp, type TestApp } from './support/create-test-app';
import { createUser, uniqueName } from './support/factories/user.factory';

const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

interface Listed {
  id: string;
}

/** The items of a page response, typed for the assertions that follow. */
const itemsOf = (response: { body: unknown }): Listed[] =>
  (response.body as { items: Listed[] }).items;

describe(PostsController.name, () => {
  let testApp: TestApp;
  let authorId: string;
  let authorToken: string;
  let otherToken: string;
  let adminToken: string;

  beforeAll(async () => {
    testApp = await createTestApp();
    const author = await createUser(testApp.dataSource);
    authorId = author.user.id;
    authorToken = (await login(testApp, author)).access_token;
    otherToken = (await login(testApp, await createUser(testApp.dataSource))).access_token;
    adminToken = (
      await login(testApp, await createUser(testApp.dataSource, { roles: [Role.Admin] }))
    ).access_token;
  });

  afterAll(async () => {
    await testApp.close();
  });

  const createPost = (body: object, token = authorToken) =>
    testApp.http().post('/api/v1/posts').set(bearer(token)).send(body);
  const listPosts = (query: Record<string, string | number>) =>
    testApp.http().get('/api/v1/posts').query(query);

  async function newPost(title = uniqueName('title')): Promise<{ id: string; title: string }> {
    const response = await createPost({ title, content: 'Some content.' });
    expect(response.status).toBe(201);
    return response.body as { id: string; title: string };
  }

  describe('POST /posts', () => {
    it('creates a post authored by the caller', async () => {
      const response = await createPost({ title: 'Hello', content: 'World' });

      expect(response.status).toBe(201);
      expect(response.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        title: 'Hello',
        content: 'World',
        authorId,
        createdAt: expect.stringMatching(ISO_TIME),
        updatedAt: expect.stringMatching(ISO_TIME),
      });
    });

    it('accepts a 200-character title and 10,000 characters of content', async () => {
      const response = await createPost({ title: 't'.repeat(200), content: 'c'.repeat(10_000) });

      expect(response.status).toBe(201);
      expect(response.body.content).toHaveLength(10_000);
    });

    it.each<[string, object]>([
      ['an empty title', { title: '', content: 'x' }],
      ['a 201-character title', { title: 't'.repeat(201), content: 'x' }],
      ['empty content', { title: 'x', content: '' }],
      ['10,001 characters of content', { title: 'x', content: 'c'.repeat(10_001) }],
      ['a missing title', { content: 'x' }],
      ['missing content', { title: 'x' }],
      ['a numeric title', { title: 42, content: 'x' }],
      ['an authorId (set by the server)', { title: 'x', content: 'x', authorId: randomUUID() }],
      ['an unknown field', { title: 'x', content: 'x', pinned: true }],
    ])('returns 400 for %s', async (_title, body) => {
      const response = await createPost(body);

      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    });

    it('returns 401 without a token', async () => {
      const response = await testApp
        .http()
        .post('/api/v1/posts')
        .send({ title: 'x', content: 'x' });

      expect(response.status).toBe(401);
      expect(response.headers['www-authenticate']).toBe('Bearer');
    });
  });

  describe('GET /posts', () => {
    it('is public and returns a page in the shared shape', async () => {
      await newPost();

      const response = await testApp.http().get('/api/v1/posts');

      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ page: 1, limit: 20 });
      expect(response.body.total).toBeGreaterThanOrEqual(1);
      expect(response.body.items.length).toBe(Math.min(20, response.body.total));
    });

    it('searches titles case-insensitively and pages through them to an empty page', async () => {
      const marker = uniqueName('Search');
      const created: string[] = [];
      for (let index = 0; index < 3; index += 1) {
        created.push((await newPost(`Post ${index} about ${marker}`)).id);
      }
      await newPost('Unrelated title');

      const pages = await Promise.all(
        [1, 2, 3].map((page) => listPosts({ search: marker.toLowerCase(), limit: 2, page })),
      );

      expect(pages.map((page) => itemsOf(page).length)).toEqual([2, 1, 0]);
      expect(pages.every((page) => page.body.total === 3)).toBe(true);
      const ids = pages.flatMap((page) => itemsOf(page).map((item) => item.id));
      expect([...ids].sort()).toEqual([...created].sort());
    });

    it('does not search the content', async () => {
      const marker = uniqueName('hidden');
      await createPost({ title: 'Plain', content: marker });

      const response = await listPosts({ search: marker });

      expect(response.body.total).toBe(0);
    });

    it.each(['limit=0', 'limit=101', 'page=0', 'page=x', 'limit=ten', 'authorId=1'])(
      'returns 400 for %s',
      async (query) => {
        const response = await testApp.http().get(`/api/v1/posts?${query}`);

        expect(response.status).toBe(400);
      },
    );
  });

  describe('GET /posts/:id', () => {
    it('is public', async () => {
      const post = await newPost();

      const response = await testApp.http().get(`/api/v1/posts/${post.id}`);

      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ id: post.id, title: post.title, authorId });
    });

    it('returns 404 for an unknown id', async () => {
      const response = await testApp.http().get(`/api/v1/posts/${randomUUID()}`);

      expect(response.status).toBe(404);
    });

    it('returns 400 for a malformed id', async () => {
      const response = await testApp.http().get('/api/v1/posts/not-a-uuid');

      expect(response.status).toBe(400);
    });
  });

  describe('PATCH /posts/:id', () => {
    const patch = (id: string, body: object, token: string) =>
      testApp.http().patch(`/api/v1/posts/${id}`).set(bearer(token)).send(body);

    it('lets the author change the title and content', async () => {
      const post = await newPost();

      const response = await patch(post.id, { title: 'New title', content: 'New' }, authorToken);

      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        id: post.id,
        title: 'New title',
        content: 'New',
        authorId,
      });
    });

    it('lets an admin change another user’s post without taking it over', async () => {
      const post = await newPost();

      const response = await patch(post.id, { title: 'Moderated' }, adminToken);

      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ title: 'Moderated', authorId });
    });

    it('returns 403 for another user and leaves the post unchanged', async () => {
      const post = await newPost();

      const response = await patch(post.id, { title: 'Hijacked' }, otherToken);
      const after = await testApp.http().get(`/api/v1/posts/${post.id}`);

      expect(response.status).toBe(403);
      expect(response.body.message).toBe('Only the author of this post or an admin can change it');
      expect(after.body.title).toBe(post.title);
    });

    it.each<[string, object]>([
      ['an empty title', { title: '' }],
      ['a null title', { title: null }],
      ['content over 10,000 characters', { content: 'c'.repeat(10_001) }],
      ['a changed authorId', { authorId: randomUUID() }],
    ])('returns 400 for %s', async (_title, body) => {
      const post = await newPost();

      const response = await patch(post.id, body, authorToken);

      expect(response.status).toBe(400);
    });

    it('returns 404 for an unknown id', async () => {
      const response = await patch(randomUUID(), { title: 'x' }, authorToken);

      expect(response.status).toBe(404);
    });

    it('returns 400 for a malformed id', async () => {
      const response = await patch('nope', { title: 'x' }, authorToken);

      expect(response.status).toBe(400);
    });

    it('returns 401 without a token', async () => {
      const post = await newPost();

      const response = await testApp.http().patch(`/api/v1/posts/${post.id}`).send({ title: 'x' });

      expect(response.status).toBe(401);
    });
  });

  describe('DELETE /posts/:id', () => {
    const remove = (id: string, token: string) =>
      testApp.http().delete(`/api/v1/posts/${id}`).set(bearer(token));

    it('lets the author delete the post', async () => {
      const post = await newPost();

      const response = await remove(post.id, authorToken);

      expect(response.status).toBe(204);
      expect((await testApp.http().get(`/api/v1/posts/${post.id}`)).status).toBe(404);
    });

    it('lets an admin delete another user’s post', async () => {
      const post = await newPost();

      const response = await remove(post.id, adminToken);

      expect(response.status).toBe(204);
    });

    it('returns 403 for another user and keeps the post', async () => {
      const post = await newPost();

      const response = await remove(post.id, otherToken);

      expect(response.status).toBe(403);
      expect((await testApp.http().get(`/api/v1/posts/${post.id}`)).status).toBe(200);
    });

    it('returns 404 for an unknown id, and for a post already deleted', async () => {
      const post = await newPost();
      await remove(post.id, authorToken);

      const unknown = await remove(randomUUID(), authorToken);
      const again = await remove(post.id, authorToken);

      expect(unknown.status).toBe(404);
      expect(again.status).toBe(404);
    });

    it('returns 400 for a malformed id', async () => {
      const response = await remove('nope', authorToken);

      expect(response.status).toBe(400);
    });

    it('returns 401 without a token', async () => {
      const post = await newPost();

      const response = await testApp.http().delete(`/api/v1/posts/${post.id}`);

      expect(response.status).toBe(401);
    });
  });
});
