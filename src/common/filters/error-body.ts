import { HttpStatus } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';

/** Nest's error shape, the only one a client ever sees. */
export interface ErrorBody {
  statusCode: number;
  message: string | string[];
  error: string;
}

export function errorBody(statusCode: number, message?: string | string[]): ErrorBody {
  const error = STATUS_CODES[statusCode] ?? 'Error';
  return { statusCode, message: message ?? error, error };
}

export const INTERNAL_ERROR: ErrorBody = {
  statusCode: HttpStatus.INTERNAL_SERVER_ERROR,
  message: 'Internal server error',
  error: 'Internal Server Error',
};
