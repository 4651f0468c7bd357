import type { DataSourceOptions } from 'typeorm';
import { AccountToken } from '../account-tokens/account-token.entity';
import type { DatabaseTarget } from '../config/database-url';
import { MfaChallenge } from '../mfa/mfa-challenge.entity';
import { RecoveryCode } from '../mfa/recovery-code.entity';
import { TotpFactor } from '../mfa/totp-factor.entity';
import { OutboxMessage } from '../outbox/outbox-message.entity';
import { Post } from '../posts/post.entity';
import { SecurityEvent } from '../security-events/security-event.entity';
import { Session } from '../sessions/session.entity';
import { SpentRefreshToken } from '../sessions/spent-refresh-token.entity';
import { UserIdentitySubscriber } from '../users/user-identity.subscriber';
import { User } from '../users/user.entity';
import { ensurePrivateFile } from './private-file';
import { CreateUsers1763888400000 } from './migrations/1763888400000-create-users';
import { CreateSessions1763888500000 } from './migrations/1763888500000-create-sessions';
import { CreatePosts1763888600000 } from './migrations/1763888600000-create-posts';
import { AddUserSearchIndex1763896000000 } from './migrations/1763896000000-add-user-search-index';
import { CombineUserSearchIndex1763990000000 } from './migrations/1763990000000-combine-user-search-index';
import { TimestampDefaultsNow1763990100000 } from './migrations/1763990100000-timestamp-defaults-now';
import { AddNormalizedIdentities1764150000010 } from './migrations/1764150000010-add-normalized-identities';
import { CreateOutboxMessages1764200000000 } from './migrations/1764200000000-create-outbox-messages';
import { AddUserEmailVerified1764250000001 } from './migrations/1764250000001-add-user-email-verified';
import { CreateAccountTokens1764250000002 } from './migrations/1764250000002-create-account-tokens';
import { AddUsersMfaEnabled1764300000000 } from './migrations/1764300000000-add-users-mfa-enabled';
import { CreateMfaTables1764300000001 } from './migrations/1764300000001-create-mfa-tables';
import { AddSessionsAmr1764300000002 } from './migrations/1764300000002-add-sessions-amr';
import { CreateSecurityEvents1764400000000 } from './migrations/1764400000000-create-security-events';

// Listed explicitly rather than globbed: the same list works from src/ (ts-node, jest) and dist/.
export const ENTITIES = [
  User,
  Session,
  SpentRefreshToken,
  Post,
  OutboxMessage,
  AccountToken,
  TotpFactor,
  RecoveryCode,
  MfaChallenge,
  SecurityEvent,
];
export const MIGRATIONS = [
  CreateUsers1763888400000,
  CreateSessions1763888500000,
  CreatePosts1763888600000,
  AddUserSearchIndex1763896000000,
  CombineUserSearchIndex1763990000000,
  TimestampDefaultsNow1763990100000,
  AddNormalizedIdentities1764150000010,
  CreateOutboxMessages1764200000000,
  AddUserEmailVerified1764250000001,
  CreateAccountTokens1764250000002,
  AddUsersMfaEnabled1764300000000,
  CreateMfaTables1764300000001,
  AddSessionsAmr1764300000002,
  CreateSecurityEvents1764400000000,
];
export const SUBSCRIBERS = [UserIdentitySubscriber];

/** The one place both the application and the TypeORM CLI (`ormconfig.ts`) get their options. */
export function buildDataSourceOptions(target: DatabaseTarget): DataSourceOptions {
  const common = {
    entities: ENTITIES,
    migrations: MIGRATIONS,
    subscribers: SUBSCRIBERS,
    migrationsTableName: 'migrations',
    synchronize: false,
    migrationsRun: false,
    logging: false,
  } as const;
  if (target.kind === 'postgres') {
    return { ...common, type: 'postgres', url: target.url, extra: { max: 20 } };
  }
  const inMemory = target.path === ':memory:';
  if (!inMemory) {
    // Created here, before TypeORM and better-sqlite3 would create them world-readable (0644).
    ensurePrivateFile(target.path);
  }
  return {
    ...common,
    type: 'better-sqlite3',
    database: target.path,
    enableWAL: !inMemory,
    statementCacheSize: 200,
    prepareDatabase: (database: { pragma: (source: string) => unknown }) => {
      // Several processes may share one file (two `start:prod` in one folder): wait for a lock
      // instead of failing at once with SQLITE_BUSY.
      database.pragma('busy_timeout = 10000');
      database.pragma('synchronous = NORMAL');
    },
  };
}
