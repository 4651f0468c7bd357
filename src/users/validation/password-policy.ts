import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary } from '@zxcvbn-ts/language-common';
import { PASSWORD_MAX_BYTES, PASSWORD_MIN_BYTES } from './is-password.decorator';

/**
 * zxcvbn's score runs 0..4; 2 means "somewhat guessable" (more than 10^6 guesses), the least
 * that survives an online attack throttled by the login limits. Below it are the common
 * passwords, keyboard walks, repeats, and dictionary words with a year or a digit appended.
 */
const MIN_PASSWORD_SCORE = 2;
/** Shorter identifiers (a two-letter email local part) would refuse half of all passwords. */
const MIN_PERSONAL_INPUT_LENGTH = 3;

export const PASSWORD_LENGTH_MESSAGE = `password must be ${PASSWORD_MIN_BYTES} to ${PASSWORD_MAX_BYTES} bytes long`;
export const PASSWORD_PERSONAL_MESSAGE = 'password must not contain the email or the username';
export const PASSWORD_COMMON_MESSAGE =
  'password is too common or too easy to guess; use a longer phrase of unrelated words';

/** What the password must not contain or be built from. */
export interface PasswordOwner {
  email?: string | null;
  username?: string | null;
}

let checker: ZxcvbnFactory | undefined;

/** Built on first use: loading the dictionaries takes a few milliseconds. */
function zxcvbn(): ZxcvbnFactory {
  checker ??= new ZxcvbnFactory({
    dictionary,
    graphs: adjacencyGraphs,
    // The default (100) lets a crafted 72-byte password such as "p@ssw0rd" x 9 take >100 ms of
    // CPU on an unauthenticated route; 10 substitutions still unmask every common l33t spelling.
    l33tMaxSubstitutions: 10,
    // Its own cap counts UTF-16 units (default 256, where the same password takes ~150 ms);
    // passwordStrengthProblem() already cuts at 72 bytes, this only keeps any other caller short.
    maxLength: PASSWORD_MAX_BYTES,
  });
  return checker;
}

/** The email, its local part and the username: the strings an attacker tries first. */
export function personalInputs(owner: PasswordOwner): string[] {
  const inputs = new Set<string>();
  const add = (value: string | null | undefined): void => {
    const text = value?.trim().toLowerCase();
    if (text && text.length >= MIN_PERSONAL_INPUT_LENGTH) {
      inputs.add(text);
    }
  };
  add(owner.email);
  add(owner.email?.split('@')[0]);
  add(owner.username);
  return [...inputs];
}

/**
 * Why the password is too weak for its owner, or null when it is acceptable: it must not contain
 * the owner's email, email local part or username, and zxcvbn (with the common-passwords
 * dictionary, and the same personal inputs) must score it at least {@link MIN_PASSWORD_SCORE}.
 * The length rule is separate: see {@link passwordProblem}.
 */
export function passwordStrengthProblem(whole: string, owner: PasswordOwner = {}): string | null {
  // zxcvbn's time grows with the length (over 100 ms of CPU for a crafted 300-character text),
  // and bcrypt reads no further than 72 bytes anyway: only what bcrypt reads is judged.
  const password = firstBytes(whole, PASSWORD_MAX_BYTES);
  const inputs = personalInputs(owner);
  const lowered = password.toLowerCase();
  if (inputs.some((input) => lowered.includes(input))) {
    return PASSWORD_PERSONAL_MESSAGE;
  }
  const result = zxcvbn().check(password, inputs);
  const wholeIsOneDictionaryWord =
    result.sequence.length === 1 && result.sequence[0].pattern === 'dictionary';
  if (result.score < MIN_PASSWORD_SCORE || wholeIsOneDictionaryWord) {
    return PASSWORD_COMMON_MESSAGE;
  }
  return null;
}

/** The longest start of `text` whose UTF-8 form fits in `maxBytes`, cut between characters. */
export function firstBytes(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text, 'utf8') <= maxBytes) {
    return text;
  }
  let bytes = 0;
  let end = 0;
  for (const character of text) {
    bytes += Buffer.byteLength(character, 'utf8');
    if (bytes > maxBytes) {
      break;
    }
    end += character.length;
  }
  return text.slice(0, end);
}

/**
 * Every password rule in one call (8..72 bytes of UTF-8, then {@link passwordStrengthProblem}),
 * for code that sets a password without a DTO: the password change, the bootstrap admin.
 */
export function passwordProblem(password: string, owner: PasswordOwner = {}): string | null {
  const bytes = Buffer.byteLength(password, 'utf8');
  if (bytes < PASSWORD_MIN_BYTES || bytes > PASSWORD_MAX_BYTES) {
    return PASSWORD_LENGTH_MESSAGE;
  }
  return passwordStrengthProblem(password, owner);
}
