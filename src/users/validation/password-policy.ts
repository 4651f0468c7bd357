import { PASSWORD_MAX_BYTES, PASSWORD_MIN_BYTES } from './is-password.decorator';

export const PASSWORD_LENGTH_MESSAGE = `password must be ${PASSWORD_MIN_BYTES} to ${PASSWORD_MAX_BYTES} bytes long`;

/** What the password must not contain or be built from (used by the strength rules). */
export interface PasswordOwner {
  email?: string | null;
  username?: string | null;
}

/**
 * Every password rule in one call, for code that sets a password without a DTO (the bootstrap
 * admin, the create-admin CLI): why the password is refused, or null when it is acceptable.
 * Stronger rules belong here so that every such caller gets them.
 */
export function passwordProblem(password: string, _owner: PasswordOwner = {}): string | null {
  const bytes = Buffer.byteLength(password, 'utf8');
  if (bytes < PASSWORD_MIN_BYTES || bytes > PASSWORD_MAX_BYTES) {
    return PASSWORD_LENGTH_MESSAGE;
  }
  return null;
}
