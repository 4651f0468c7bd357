import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { renderMail } from '../mail/mail-templates';
import { MailService } from '../mail/mail.service';
import type { User } from '../users/user.entity';

/** "30 minutes", "24 hours", "2 days": how long a link lives, as the mail says it. */
export function describeLifetime(seconds: number): string {
  const units: [number, string][] = [
    [86400, 'day'],
    [3600, 'hour'],
    [60, 'minute'],
    [1, 'second'],
  ];
  const [size, name] = units.find(([unit]) => seconds % unit === 0 && seconds >= unit) ?? [
    1,
    'second',
  ];
  const count = seconds / size;
  return `${count} ${name}${count === 1 ? '' : 's'}`;
}

/** The link of a mail: the configured template with `{token}` replaced by the token. */
export function linkFor(template: string, token: string): string {
  return template.replaceAll('{token}', token);
}

/**
 * The account flows' mails, each queued in the caller's transaction. A mail carries at most its
 * own link's token, never another secret; the texts live in src/mail/templates/.
 */
@Injectable()
export class AccountMailsService {
  constructor(
    private readonly config: AppConfig,
    private readonly mail: MailService,
  ) {}

  passwordReset(manager: EntityManager, user: User, token: string): Promise<void> {
    const flows = this.config.accountFlows;
    return this.send(manager, user.email, 'password-reset', {
      username: user.username,
      link: linkFor(flows.passwordResetUrl, token),
      expiresIn: describeLifetime(flows.passwordResetTtlSeconds),
    });
  }

  passwordChanged(manager: EntityManager, user: User): Promise<void> {
    return this.send(manager, user.email, 'password-changed', { username: user.username });
  }

  emailVerify(manager: EntityManager, user: User, token: string): Promise<void> {
    const flows = this.config.accountFlows;
    return this.send(manager, user.email, 'email-verify', {
      username: user.username,
      link: linkFor(flows.emailVerifyUrl, token),
      expiresIn: describeLifetime(flows.emailTokenTtlSeconds),
    });
  }

  /** To the new address: the link that confirms it. */
  emailChange(manager: EntityManager, user: User, newEmail: string, token: string): Promise<void> {
    const flows = this.config.accountFlows;
    return this.send(manager, newEmail, 'email-change', {
      username: user.username,
      link: linkFor(flows.emailChangeUrl, token),
      expiresIn: describeLifetime(flows.emailTokenTtlSeconds),
    });
  }

  /** To the current address: a notice with no link at all. */
  emailChangeNotice(manager: EntityManager, user: User, newEmail: string): Promise<void> {
    return this.send(manager, user.email, 'email-change-notice', {
      username: user.username,
      newEmail,
    });
  }

  private send(
    manager: EntityManager,
    to: string,
    kind: string,
    variables: Record<string, string>,
  ): Promise<void> {
    return this.mail.queue(manager, { to, kind, ...renderMail(kind, variables) });
  }
}
