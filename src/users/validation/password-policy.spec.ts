import {
  PASSWORD_COMMON_MESSAGE,
  PASSWORD_LENGTH_MESSAGE,
  PASSWORD_PERSONAL_MESSAGE,
  passwordProblem,
  personalInputs,
} from './password-policy';

const owner = { email: 'ada.lovelace@example.com', username: 'countess' };

describe('passwordProblem', () => {
  it.each([
    'password',
    'password1',
    'Password123!',
    'P@ssw0rd',
    '12345678',
    'qwertyuiop',
    'iloveyou2024',
    'sunshine',
    'aaaaaaaa',
    'abcdefgh',
    'monkey123',
    'dragon2023',
    'letmein!',
    'drowssap',
  ])('refuses the common or guessable password %j', (password) => {
    expect(passwordProblem(password, owner)).toBe(PASSWORD_COMMON_MESSAGE);
  });

  it.each([
    ['the whole email', 'ada.lovelace@example.com'],
    ['the email local part', 'xx-ada.lovelace-91!'],
    ['the username', 'my-countess-pw-42!'],
    ['the username in capitals', 'MY-COUNTESS-pw-42!'],
  ])('refuses a password containing %s', (_what, password) => {
    expect(passwordProblem(password, owner)).toBe(PASSWORD_PERSONAL_MESSAGE);
  });

  it.each([
    'correct horse battery staple',
    'Tr0ub4dor&3-horse',
    'a-Strong-Passphrase-42',
    'vY7#qLm2!zR9',
    'lantern orbit pickle',
    'Jürgen-mag-Käsekuchen',
  ])('accepts the strong password %j', (password) => {
    expect(passwordProblem(password, owner)).toBeNull();
  });

  it.each([
    ['7 bytes', 'aB3$eF7'],
    ['73 bytes', 'x9!'.repeat(24) + 'q'],
    ['37 two-byte characters (74 bytes)', 'é'.repeat(37)],
  ])('refuses a password of %s as out of 8..72 bytes', (_what, password) => {
    expect(passwordProblem(password, owner)).toBe(PASSWORD_LENGTH_MESSAGE);
  });

  it('accepts a strong password of exactly 72 bytes', () => {
    const password = 'vY7#qLm2!zR9'.repeat(6);

    expect(Buffer.byteLength(password)).toBe(72);
    expect(passwordProblem(password, owner)).toBeNull();
  });

  it('checks without an owner', () => {
    expect(passwordProblem('password1')).toBe(PASSWORD_COMMON_MESSAGE);
    expect(passwordProblem('lantern orbit pickle')).toBeNull();
  });
});

describe('personalInputs', () => {
  it('lists the email, its local part and the username, lower-cased', () => {
    expect(personalInputs({ email: 'Ada@Example.com', username: 'Countess' })).toEqual([
      'ada@example.com',
      'ada',
      'countess',
    ]);
  });

  it('leaves out inputs shorter than three characters and missing ones', () => {
    expect(personalInputs({ email: 'al@example.com', username: null })).toEqual(['al@example.com']);
  });
});
