/** One message for an unknown, expired or used token, so the answer reveals none of the three. */
export const INVALID_MAIL_TOKEN = 'This link is invalid, expired or already used';

/** forgot and resend answer this whatever the address, so it reveals no account. */
export const MAIL_ON_ITS_WAY =
  'If an account can use this address, a mail with a link is on its way';
