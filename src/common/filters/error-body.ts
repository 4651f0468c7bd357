import { HttpStatus } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';

/**
 * Nest's error shape, the only one a client ever sees. A coded error (see isCodedError) may add
 * fields of its own, and the token endpoints add `error_description`.
 */
export interface ErrorBody {
  statusCode: number;
  message: string | string[];
  error: string;
  error_description?: string;
  [field: string]: unknown;
}

export function errorBody(statusCode: number, message?: string | string[]): ErrorBody {
  const error = statusText(statusCode);
  return { statusCode, message: message ?? error, error };
}

export function statusText(statusCode: number): string {
  return STATUS_CODES[statusCode] ?? 'Error';
}

/** True when `error` is a machine-readable code (`mfa_required`) rather than the status text. */
export function isCodedError(body: ErrorBody): boolean {
  return body.error !== statusText(body.statusCode);
}

export const INTERNAL_ERROR: ErrorBody = {
  statusCode: HttpStatus.INTERNAL_SERVER_ERROR,
  message: 'Internal server error',
  error: 'Internal Server Error',
};
