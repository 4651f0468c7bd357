import '../config/load-env-file';
import { ConflictException } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { parseArgs } from 'node:util';
import { ConfigValidationError } from '../config/config-validation.error';
import { parseEnvironment } from '../config/env.validation';
import { adminEmailProblem, adminUsernameProblem } from '../users/bootstrap-admin.service';
import { UserAdminService } from '../users/user-admin.service';
import type { User } from '../users/user.entity';
import { UsersService } from '../users/users.service';
import { passwordProblem } from '../users/validation/password-policy';
import { CreateAdminModule } from './create-admin.module';

const USAGE = `Usage: npm run user:create-admin -- --email <email> [--username <username>]
                                       [--promote-existing [--reactivate]]

Creates an active admin; the password is read from a prompt, or from the first line of stdin.
When an account already has that email it is shown and left alone, unless:
  --promote-existing  make that account an admin: its password is replaced by the one entered
                      and all its sessions end (whoever registered the address keeps nothing)
  --reactivate        with --promote-existing, also enable the account if it is disabled`;

/** A usage or input error: printed as one line, exit code 1, no stack. */
class CliError extends Error {}

/**
 * `npm run user:create-admin -- --email E [--username U] [--promote-existing [--reactivate]]`:
 * creates an active admin. The password comes from a hidden prompt on a terminal, or from the
 * first line of stdin otherwise:
 * `printf '%s\n' "$PASSWORD" | npm run user:create-admin -- --email ops@example.com`.
 *
 * Anyone can register an address before the operator runs this, so an existing account with the
 * email is never promoted silently: it is shown, and only `--promote-existing` makes it an admin,
 * with the password entered here and none of its sessions; a disabled one also needs
 * `--reactivate`. Runs the app's own services (CreateAdminModule) without its HTTP server;
 * pending migrations first.
 */
async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      email: { type: 'string' },
      username: { type: 'string' },
      'promote-existing': { type: 'boolean' },
      reactivate: { type: 'boolean' },
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
      await promoteExisting(userAdmin, existing, {
        promote: values['promote-existing'] === true,
        reactivate: values.reactivate === true,
        username: values.username?.trim(),
      });
      return;
    }
    if (values.reactivate) {
      throw new CliError(`--reactivate applies only with --promote-existing. ${USAGE}`);
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

interface PromotionRequest {
  promote: boolean;
  reactivate: boolean;
  username?: string;
}

/**
 * Shows the account that has the email, then promotes it only as the flags ask: refused without
 * --promote-existing, and for a disabled account without --reactivate.
 */
async function promoteExisting(
  userAdmin: UserAdminService,
  existing: User,
  request: PromotionRequest,
): Promise<void> {
  console.log(describeAccount(existing));
  if (!request.promote) {
    throw new CliError(
      'An account with this email exists and was not changed. To make it an admin, run again ' +
        'with --promote-existing: its password is then replaced by the one you enter and all of ' +
        'its sessions end.',
    );
  }
  if (!existing.isActive && !request.reactivate) {
    throw new CliError(
      'The account is disabled and was not changed; add --reactivate to enable it as an admin.',
    );
  }
  if (
    request.username !== undefined &&
    request.username.toLowerCase() !== existing.username.toLowerCase()
  ) {
    throw new CliError(
      `The account's username is "${existing.username}", not "${request.username}"; nothing was changed.`,
    );
  }
  const password = await readPassword();
  const problem = passwordProblem(password, existing);
  if (problem) {
    throw new CliError(problem);
  }
  const promoted = await userAdmin.promote(existing, { password, reactivate: request.reactivate });
  if (!promoted) {
    throw new CliError('The account changed while this ran; nothing was changed. Run again.');
  }
  console.log(
    `Promoted ${promoted.email} (${promoted.username}) to admin with the new password; roles: ` +
      `${promoted.roles.join(', ')}; its earlier sessions are over`,
  );
}

/** The account's state, one field a line, for the operator to judge before promoting it. */
function describeAccount(user: User): string {
  return [
    'An account with this email already exists:',
    `  email     ${user.email}`,
    `  username  ${user.username}`,
    `  active    ${user.isActive ? 'yes' : 'no'}`,
    `  roles     ${user.roles.join(', ')}`,
    `  created   ${user.createdAt.toISOString()}`,
  ].join('\n');
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
