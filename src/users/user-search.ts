/**
 * The admin list's `search`: a case-insensitive substring of the email, the username or the full
 * name, for a LIKE pattern made by containsPattern().
 *
 * On PostgreSQL one trigram index covers the three fields joined by spaces (migration
 * 1763990000000-combine-user-search-index); the first condition, written exactly as that index's
 * expression, lets PostgreSQL find candidates with one index scan instead of three. It can match
 * across the joins (a term containing a space), so the second condition, the definition itself,
 * keeps only real matches. SQLite has no such index and scans: there the first condition would
 * only add work to every row, so it is left out.
 *
 * `field` writes a column reference: `user.email` for a query builder, `"email"` in raw SQL.
 */
export function userSearchCondition(
  field: (name: 'email' | 'username' | 'fullName') => string,
  parameter: string,
  onPostgres: boolean,
): string {
  const joined = `lower(${field('email')} || ' ' || ${field('username')} || ' ' || coalesce(${field('fullName')}, ''))`;
  const anyField = [
    `lower(${field('email')}) LIKE ${parameter} ESCAPE '\\'`,
    `lower(${field('username')}) LIKE ${parameter} ESCAPE '\\'`,
    `lower(coalesce(${field('fullName')}, '')) LIKE ${parameter} ESCAPE '\\'`,
  ].join(' OR ');
  return onPostgres
    ? `(${joined} LIKE ${parameter} ESCAPE '\\' AND (${anyField}))`
    : `(${anyField})`;
}
