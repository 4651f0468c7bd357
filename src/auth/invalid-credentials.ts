/**
 * The 401 of a failed login, whatever failed: an unknown account, a wrong password or a missing
 * one. One message, so that the answer never tells which accounts exist.
 */
export const INVALID_CREDENTIALS = 'Incorrect username or password';
