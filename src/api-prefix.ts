/** Every API route lives under this prefix; docs and metrics stay outside it. */
export const API_PREFIX = 'api/v1';
