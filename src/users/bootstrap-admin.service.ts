import { ConflictException, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { isEmail } from 'class-validator';
import { AppConfig, type BootstrapAdminSettings } from '../config/app-config';
import { ConfigValidationError } from '../config/config-validation.error';
import { StartupLock } from '../database/startup-lock';
import { UserAdminService } from './user-admin.service';
import { UsersService } from './users.service';
import { passwordProblem } from './validation/password-policy';
import { USERNAME_PATTERN } from './validation/is-username.decorator';

/** Why `email` cannot be an admin's address, or null. The create-admin CLI checks with it too. */
export function adminEmailProblem(email: string): string | null {
  return isEmail(email) && email.length <= 254 ? null : `"${email}" is not a valid email address`;
}

/** Why `username` cannot be an admin's username, or null. */
export function adminUsernameProblem(username: string): string | null {
  return USERNAME_PATTERN.test(username)
    ? null
    : 'must be 3 to 32 characters of letters, digits, "_", "." or "-"';
}

/** The settings' problems, one line per key, as the configuration reports them. */
function bootstrapAdminProblems(admin: BootstrapAdminSettings): string[] {
  const problems: string[] = [];
  const emailIssue = adminEmailProblem(admin.email);
  if (emailIssue) {
    problems.push(`ADMIN_EMAIL: ${emailIssue}`);
  }
  const usernameIssue = adminUsernameProblem(admin.username);
  if (usernameIssue) {
    problems.push(`ADMIN_USERNAME: ${usernameIssue}`);
  }
  const passwordIssue = passwordProblem(admin.password, admin);
  if (passwordIssue) {
    problems.push(`ADMIN_PASSWORD: ${passwordIssue}`);
  }
  return problems;
}

/**
 * Creates the admin named by ADMIN_EMAIL / ADMIN_PASSWORD / ADMIN_USERNAME when no account has
 * that email. Never overwrites: an existing account keeps its password and roles (use the
 * create-admin CLI to promote it). Runs under the start-up lock, after the migrations, so several
 * instances starting together create it once.
 */
@Injectable()
export class BootstrapAdminService implements OnApplicationBootstrap {
  private readonly logger = new Logger(BootstrapAdminService.name);

  constructor(
    private readonly config: AppConfig,
    private readonly users: UsersService,
    private readonly userAdmin: UserAdminService,
    private readonly startupLock: StartupLock,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const admin = this.config.admin;
    if (!admin) {
      return;
    }
    const problems = bootstrapAdminProblems(admin);
    if (problems.length > 0) {
      throw new ConfigValidationError(problems);
    }
    await this.startupLock.runExclusive(() => this.ensureAdmin(admin));
  }

  private async ensureAdmin(admin: BootstrapAdminSettings): Promise<void> {
    const existing = await this.users.findByEmail(admin.email);
    if (existing) {
      if (!existing.isAdmin || !existing.isActive) {
        this.logger.warn(
          `ADMIN_EMAIL names an existing account that is not an active admin; it is left unchanged (promote it with npm run user:create-admin -- --promote-existing)`,
        );
      }
      return;
    }
    try {
      await this.userAdmin.createAdmin(admin);
    } catch (error) {
      // The email is free (looked up above, under the lock), so the clash is the username.
      if (error instanceof ConflictException) {
        throw new ConfigValidationError([
          `ADMIN_USERNAME: "${admin.username}" is already taken by another account; choose another`,
        ]);
      }
      throw error;
    }
    this.logger.log(`Created the bootstrap admin ${admin.email}`);
  }
}
