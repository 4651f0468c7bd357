import '../config/load-env-file';
import { ConflictException } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { parseArgs } from 'node:util';
import { ConfigValidationError } from '../config/config-validation.error';
import { parseEnvironment } from '../config/env.validation';
import { adminEmailProblem, adminUsernameProblem } from '../users/bootstrap-admin.service';
import { UserAdminService } from '../users/user-admin.service';
import { UsersService } from '../users/users.service';
import { passwordProblem } from '../users/validation/password-policy';
import { CreateAdminModule } from './create-admin.module';

const USAGE = 'Usage: npm run user:create-admin -- --email <email> [--username <username>]';

/** A usage or input error: printed as one line, exit code 1, no stack. */
class CliError extends Error {}

/**
 * `npm run user:create-admin -- --email E [--username U]`: creates an active admin, or promotes
 * the existing account with that email (its password is kept). The password of a new admin comes
 * from a hidden prompt on a terminal, or from the first line of stdin otherwise:
 * `printf '%s\n' "$PASSWORD" | npm run user:create-admin -- --email ops@example.com`.
 * Runs the app's own services (CreateAdminModule) without its HTTP server; pending migrations first.
 */
async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      email: { type: 'string' },
      username: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const email = values.email?.trim();
  if (!email) {
    throw new CliError(`--email is required. ${USAGE}`);
  }
  const emailIssue = adminEmailProblem(email);
  if (emailIssue) {
    throw new CliError(emailIssue);
  }

  const config = parseEnvironment(process.env, { warn: (message) => console.warn(message) });
  // No Nest logger: the CLI speaks in its own lines, and errors reach the handler below.
  const app = await NestFactory.createApplicationContext(CreateAdminModule.withConfig(config), {
    logger: false,
    abortOnError: false,
  });
  try {
    const users = app.get(UsersService);
    const userAdmin = app.get(UserAdminService);
    const existing = await users.findByEmail(email);
    if (existing) {
      const promoted = await userAdmin.promote(existing);
      console.log(
        `Promoted ${promoted.email} (${promoted.username}) to admin; roles: ${promoted.roles.join(', ')}`,
      );
      return;
    }
    const username = values.username?.trim() ?? defaultUsername(email);
    const usernameIssue = adminUsernameProblem(username);
    if (usernameIssue) {
      throw new CliError(`username "${username}" ${usernameIssue} (pass --username)`);
    }
    const password = await readPassword();
    const problem = passwordProblem(password, { email, username });
    if (problem) {
      throw new CliError(problem);
    }
    const created = await userAdmin
      .createAdmin({ email, username, password })
      .catch((error: unknown) => {
        throw error instanceof ConflictException
          ? new CliError(`username "${username}" is already taken (pass another --username)`)
          : error;
      });
    console.log(`Created admin ${created.email} (${created.username})`);
  } finally {
    await app.close();
  }
}

/** The email's local part, when it is a valid username; otherwise the caller must name one. */
function defaultUsername(email: string): string {
  return email.slice(0, email.lastIndexOf('@'));
}

async function readPassword(): Promise<string> {
  if (!process.stdin.isTTY) {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) {
      chunks.push(chunk as Buffer);
    }
    // Only the line terminator is removed: spaces are legitimate password characters.
    return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
  }
  const password = await promptHidden('Password: ');
  const confirmation = await promptHidden('Repeat the password: ');
  if (password !== confirmation) {
    throw new CliError('The passwords do not match');
  }
  return password;
}

/** Reads one line from the terminal without echoing it. */
function promptHidden(question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    let input = '';
    // Raw mode first, so that nothing typed after the question appears is echoed.
    stdin.setRawMode(true);
    process.stdout.write(question);
    stdin.resume();
    stdin.setEncoding('utf8');
    const finish = (error?: Error): void => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.removeListener('data', onData);
      process.stdout.write('\n');
      if (error) {
        reject(error);
      } else {
        resolve(input);
      }
    };
    const onData = (data: string): void => {
      for (const character of data) {
        if (character === '\r' || character === '\n' || character === '\u0004') {
          finish();
          return;
        }
        if (character === '\u0003') {
          finish(new CliError('Cancelled'));
          return;
        }
        if (character === '\u007f' || character === '\b') {
          input = [...input].slice(0, -1).join('');
        } else {
          input += character;
        }
      }
    };
    stdin.on('data', onData);
  });
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (error: unknown) => {
    if (error instanceof ConfigValidationError) {
      for (const problem of error.problems) {
        console.error(`Invalid configuration: ${problem}`);
      }
    } else if (error instanceof CliError || (error instanceof TypeError && 'code' in error)) {
      // parseArgs reports unknown or malformed options as a TypeError with a code.
      console.error(error.message);
    } else {
      console.error(error);
    }
    process.exit(1);
  },
);
