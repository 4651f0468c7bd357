import {
  firstBytes,
  PASSWORD_COMMON_MESSAGE,
  PASSWORD_LENGTH_MESSAGE,
  PASSWORD_PERSONAL_MESSAGE,
  passwordProblem,
  passwordStrengthProblem,
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

describe('passwordStrengthProblem on long input', () => {
  const strong72 = 'vY7#qLm2!zR9'.repeat(6);

  it('judges only the first 72 bytes, which is all bcrypt reads', () => {
    expect(passwordStrengthProblem(`${strong72}countess`, owner)).toBeNull();
    expect(passwordStrengthProblem(`${strong72.slice(0, 60)}countess`, owner)).toBe(
      PASSWORD_PERSONAL_MESSAGE,
    );
  });

  /** The least CPU time of a few runs: the machine may be busy with other work meanwhile. */
  const cpuMilliseconds = (password: string): number => {
    let least = Infinity;
    for (let run = 0; run < 3; run += 1) {
      const start = process.cpuUsage();
      passwordStrengthProblem(password, owner);
      const spent = process.cpuUsage(start);
      least = Math.min(least, (spent.user + spent.system) / 1000);
    }
    return least;
  };

  it('spends no more on a crafted 10,000-character password than on its first 72 bytes', () => {
    const crafted = 'p@ssw0rd'.repeat(1250);
    cpuMilliseconds(crafted.slice(0, 72));

    const short = cpuMilliseconds(crafted.slice(0, 72));
    const long = cpuMilliseconds(crafted);

    // Without the cap, zxcvbn reads 256 characters of it: several times the 72-byte cost.
    expect(long).toBeLessThan(short * 2 + 10);
  });
});

describe('firstBytes', () => {
  it.each([
    ['ASCII under the limit', 'abc', 5, 'abc'],
    ['ASCII over the limit', 'abcdef', 4, 'abcd'],
    ['a two-byte character that would straddle the limit', 'aé', 2, 'a'],
    ['a four-byte emoji that would straddle the limit', 'ab🦊', 5, 'ab'],
    ['an emoji that fits exactly', 'ab🦊', 6, 'ab🦊'],
  ])('keeps %s whole characters only', (_what, text, max, expected) => {
    expect(firstBytes(text, max)).toBe(expected);
    expect(Buffer.byteLength(firstBytes(text, max))).toBeLessThanOrEqual(max);
  });
});
