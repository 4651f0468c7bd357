import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { isEmail } from 'class-validator';
import { AppConfig, type BootstrapAdminSettings } from '../config/app-config';
import { ConfigValidationError } from '../config/config-validation.error';
import { StartupLock } from '../database/startup-lock';
import { PasswordHasher } from './password-hasher.service';
import { Role } from './role.enum';
import { UsersService } from './users.service';
import { passwordProblem } from './validation/password-policy';
import { USERNAME_PATTERN } from './validation/is-username.decorator';

/** The settings' problems, one line per key, as the configuration reports them. */
export function bootstrapAdminProblems(admin: BootstrapAdminSettings): string[] {
  const problems: string[] = [];
  if (!isEmail(admin.email) || admin.email.length > 254) {
    problems.push(`ADMIN_EMAIL: "${admin.email}" is not a valid email address`);
  }
  if (!USERNAME_PATTERN.test(admin.username)) {
    problems.push('ADMIN_USERNAME: must be 3 to 32 characters of letters, digits, "_", "." or "-"');
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
    private readonly passwords: PasswordHasher,
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
          `ADMIN_EMAIL names an existing account that is not an active admin; it is left unchanged (promote it with npm run user:create-admin)`,
        );
      }
      return;
    }
    if (await this.users.findByEmailOrUsername(admin.username)) {
      throw new ConfigValidationError([
        `ADMIN_USERNAME: "${admin.username}" is already taken by another account; choose another`,
      ]);
    }
    await this.users.create({
      email: admin.email,
      username: admin.username,
      passwordHash: await this.passwords.hash(admin.password),
      roles: [Role.User, Role.Admin],
      // The operator chose the address; nobody will click a link for it.
      emailVerified: true,
    });
    this.logger.log(`Created the bootstrap admin ${admin.email}`);
  }
}
