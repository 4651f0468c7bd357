/** Every security event type of the contract, each emitted by the one flow it names. */
export const SECURITY_EVENT_TYPES = [
  'login.succeeded',
  'login.failed',
  'login.locked',
  'mfa.failed',
  'token.refreshed',
  'refresh.reused',
  'logout',
  'session.revoked',
  'password.changed',
  'password.reset_requested',
  'password.reset',
  'email.verified',
  'email.change_requested',
  'email.changed',
  'mfa.enabled',
  'mfa.disabled',
  'mfa.recovery_codes_regenerated',
  'user.registered',
  'user.updated_by_admin',
  'user.deleted_by_admin',
] as const;

export type SecurityEventType = (typeof SECURITY_EVENT_TYPES)[number];
