import '../config/load-env-file';
import { isEmail } from 'class-validator';
import { parseArgs } from 'node:util';
import { DataSource } from 'typeorm';
import { ConfigValidationError } from '../config/config-validation.error';
import { parseEnvironment } from '../config/env.validation';
import { buildDataSourceOptions } from '../database/data-source-options';
import { StartupLock } from '../database/startup-lock';
import { Session } from '../sessions/session.entity';
import { PasswordHasher } from '../users/password-hasher.service';
import { Role } from '../users/role.enum';
import { User } from '../users/user.entity';
import { UsersService } from '../users/users.service';
import { USERNAME_PATTERN } from '../users/validation/is-username.decorator';
import { passwordProblem } from '../users/validation/password-policy';

const USAGE = 'Usage: npm run user:create-admin -- --email <email> [--username <username>]';

/** A usage or input error: printed as one line, exit code 1, no stack. */
class CliError extends Error {}

/**
 * `npm run user:create-admin -- --email E [--username U]`: creates an active admin, or promotes
 * the existing account with that email (its password is kept). The password of a new admin comes
 * from a hidden prompt on a terminal, or from the first line of stdin otherwise:
 * `printf '%s\n' "$PASSWORD" | npm run user:create-admin -- --email ops@example.com`.
 * Runs without Nest, on the app's configuration and data source; pending migrations first.
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
  if (!isEmail(email) || email.length > 254) {
    throw new CliError(`"${email}" is not a valid email address`);
  }

  const config = parseEnvironment(process.env, { warn: (message) => console.warn(message) });
  const dataSource = new DataSource(buildDataSourceOptions(config.database));
  await dataSource.initialize();
  try {
    await new StartupLock(dataSource, config).runExclusive(() =>
      dataSource.runMigrations({ transaction: 'each' }),
    );
    const users = new UsersService(
      dataSource.getRepository(User),
      dataSource.getRepository(Session),
      dataSource,
    );
    const existing = await users.findByEmail(email);
    if (existing) {
      const promoted = await users.promoteToAdmin(existing);
      console.log(
        `Promoted ${promoted.email} (${promoted.username}) to admin; roles: ${promoted.roles.join(', ')}`,
      );
      return;
    }
    const username = values.username?.trim() ?? defaultUsername(email);
    if (!USERNAME_PATTERN.test(username)) {
      throw new CliError(
        `username "${username}" must be 3 to 32 characters of letters, digits, "_", "." or "-" (pass --username)`,
      );
    }
    const password = await readPassword();
    const problem = passwordProblem(password, { email, username });
    if (problem) {
      throw new CliError(problem);
    }
    const hasher = new PasswordHasher(config);
    const created = await users
      .create({
        email,
        username,
        passwordHash: await hasher.hash(password),
        roles: [Role.User, Role.Admin],
        // The operator chose the address; nobody will click a link for it.
        emailVerified: true,
      })
      .catch((error: unknown) => {
        throw error instanceof Error && /taken/.test(error.message)
          ? new CliError(`username "${username}" is already taken (pass another --username)`)
          : error;
      });
    console.log(`Created admin ${created.email} (${created.username})`);
  } finally {
    await dataSource.destroy();
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
