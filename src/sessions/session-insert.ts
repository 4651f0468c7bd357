import type { EntityManager } from 'typeorm';
import { Session } from './session.entity';

/** The columns a new session sets from its values (`userId` comes from the users row). */
const VALUE_COLUMNS = [
  'id',
  'refreshTokenHash',
  'createdAt',
  'lastUsedAt',
  'expiresAt',
  'userAgent',
  'ip',
  'amr',
] as const satisfies readonly (keyof Session)[];

/**
 * Inserts the session only if its user still exists, is active and still has the password hash
 * the sign-in verified, in one statement (`INSERT INTO sessions ... SELECT ... FROM users WHERE
 * ...`). True when the row went in; `revokedAt` keeps its NULL default.
 *
 * A password change, a disable and a delete each change the users row, then end the user's
 * sessions. Were the check an earlier statement, a sign-in that read the row before such a change
 * could insert its session after the change had ended the others, and keep it (and racing a
 * delete, fail on the foreign key). In one statement they cannot interleave: SQLite runs one
 * writer at a time; on PostgreSQL `FOR SHARE` makes the insert wait for a change in progress on
 * the row and then re-check the new row version (READ COMMITTED), and makes a change that comes
 * later wait until this session is committed, so that the change's revocation sees it.
 * Reading the users row here is, as in ActiveUserLookup, the one exception to the sessions module
 * touching only its own tables: the check has to be part of the insert.
 */
export async function insertSessionIfCurrent(
  manager: EntityManager,
  session: Session,
  passwordHash: string,
): Promise<boolean> {
  const metadata = manager.connection.getMetadata(Session);
  const driver = manager.connection.driver;
  const onPostgres = manager.connection.options.type === 'postgres';
  // Dates and the simple-array `amr` become the values a repository insert would send.
  const parameters: unknown[] = VALUE_COLUMNS.map((property) => {
    const column = metadata.findColumnWithPropertyName(property);
    if (!column) {
      throw new Error(`Session has no column ${property}`);
    }
    const value: unknown = driver.preparePersistentValue(session[property], column);
    return value;
  });
  parameters.push(session.userId, passwordHash);
  const placeholders = parameters.map((_, index) => (onPostgres ? `$${index + 1}` : '?'));
  const userIdPlaceholder = placeholders[VALUE_COLUMNS.length];
  const hashPlaceholder = placeholders[VALUE_COLUMNS.length + 1];

  const sql = `INSERT INTO "sessions" ("userId", ${VALUE_COLUMNS.map((name) => `"${name}"`).join(', ')})
    SELECT u."id", ${placeholders.slice(0, VALUE_COLUMNS.length).join(', ')} FROM "users" u
    WHERE u."id" = ${userIdPlaceholder} AND u."passwordHash" = ${hashPlaceholder}
      AND u."isActive" = ${onPostgres ? 'true' : '1'}${onPostgres ? ' FOR SHARE' : ''}
    RETURNING "id"`;
  const inserted: unknown = await manager.query(sql, parameters);
  return Array.isArray(inserted) && inserted.length === 1;
}
