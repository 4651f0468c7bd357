import { BadRequestException } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';

/**
 * Names every plain object inherits (`constructor`, `toString`, `__proto__`, ...). class-validator
 * looks a field up among the DTO's validated fields with a plain object, where these names are
 * always "found", so its whitelist would let them through as known fields.
 */
const INHERITED_NAMES: ReadonlySet<string> = new Set(Object.getOwnPropertyNames(Object.prototype));

// PostgreSQL text cannot hold U+0000 (the query fails), and C libraries such as bcrypt stop
// reading at it. A lone surrogate is not Unicode text at all: it has no UTF-8 form, so
// validator.js's byte count throws on it, and the database would store a replacement character.
const NUL = '\u0000';
const LONE_SURROGATE = /\p{Cs}/u;

/** More would only lengthen the answer to a body made of thousands of bad strings. */
const MAX_PROBLEMS = 10;

/**
 * What is wrong with a parsed body or query string, whatever the route: a NUL character or a lone
 * UTF-16 surrogate in any string (field names included), or a field named after an inherited
 * member. Each problem is one message; the list is empty when the input is acceptable.
 * `where` names the input in messages (`body`, `query`) when the value itself is a bad string.
 */
export function unsafeInputProblems(value: unknown, where: string): string[] {
  const problems: string[] = [];
  // Iterative, not recursive: a 100 kB body can nest arrays 50,000 deep.
  const pending: { value: unknown; path: string }[] = [{ value, path: '' }];
  while (pending.length > 0 && problems.length < MAX_PROBLEMS) {
    const { value: current, path } = pending.pop()!;
    if (typeof current === 'string') {
      const problem = stringProblem(current);
      if (problem) {
        problems.push(`${path || where} ${problem}`);
      }
    } else if (typeof current === 'object' && current !== null) {
      for (const [key, child] of Object.entries(current)) {
        const childPath = path ? `${path}.${key}` : key;
        const keyProblem = stringProblem(key);
        if (keyProblem) {
          problems.push(`a field name in ${where} ${keyProblem}`);
        } else if (INHERITED_NAMES.has(key) && !Array.isArray(current)) {
          problems.push(`property ${childPath} should not exist`);
        } else {
          pending.push({ value: child, path: childPath });
        }
      }
    }
  }
  return problems;
}

function stringProblem(text: string): string | null {
  if (text.includes(NUL)) {
    return 'must not contain a NUL character (\\u0000)';
  }
  if (LONE_SURROGATE.test(text)) {
    return 'must be valid Unicode text (it contains a lone UTF-16 surrogate)';
  }
  return null;
}

/**
 * Refuses unsafe input (see {@link unsafeInputProblems}) with a 400 on every route, before the
 * guards run: the login body is read by a guard, not a pipe, and some routes take no DTO at all.
 */
export function registerInputSafety(fastify: FastifyInstance): void {
  fastify.addHook('preValidation', (request, _reply, done) => {
    const problems = [
      ...unsafeInputProblems(request.body, 'the body'),
      ...unsafeInputProblems(request.query, 'the query string'),
    ];
    done(problems.length > 0 ? new BadRequestException(problems) : undefined);
  });
}
