/**
 * The form in which an email or a username is compared: Unicode NFC (so that `é` typed as one
 * code point and as `e` + combining accent are the same text), then lower case by the Unicode
 * rules. Done here rather than by the database's lower(): SQLite folds ASCII only and
 * PostgreSQL folds by its locale, so the two would disagree on `Élodie@example.com`.
 *
 * Stored beside the text as entered (users.emailNormalized, users.usernameNormalized), where
 * the unique indexes are; every lookup by email or username compares against it.
 */
export function normalizeIdentity(text: string): string {
  return text.normalize('NFC').toLowerCase();
}
