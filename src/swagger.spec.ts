import { showLoginErrorMessage } from './swagger';

describe(showLoginErrorMessage.name, () => {
  const failedLogin = (text: string) => ({
    ok: false,
    url: 'http://localhost:3000/api/v1/auth/login',
    text,
    data: text,
  });

  it("puts a failed login's message where the Authorize dialog reads it", () => {
    const body =
      '{"statusCode":401,"message":"Incorrect username or password","error":"Unauthorized"}';

    const response = showLoginErrorMessage(failedLogin(body));

    expect(JSON.parse(response.data as string)).toEqual({
      error_description: 'Incorrect username or password',
    });
    // Try it out shows `text`: the body as the server sent it.
    expect(response.text).toBe(body);
  });

  it('joins the field messages of a 400', () => {
    const response = showLoginErrorMessage(
      failedLogin('{"statusCode":400,"message":["a is wrong","b is wrong"],"error":"Bad Request"}'),
    );

    expect(JSON.parse(response.data as string)).toEqual({
      error_description: 'a is wrong; b is wrong',
    });
  });

  it.each([
    ['a success', { ok: true, url: 'http://h/api/v1/auth/login', text: '{}', data: '{}' }],
    [
      'another route',
      { ok: false, url: 'http://h/api/v1/users/me', text: '{"message":"x"}', data: 'same' },
    ],
    [
      'a body that is not JSON',
      { ok: false, url: 'http://h/api/v1/auth/login', text: '<html>', data: 'same' },
    ],
  ])('leaves %s alone', (_case, response) => {
    const before = { ...response };

    expect(showLoginErrorMessage(response)).toEqual(before);
  });
});
