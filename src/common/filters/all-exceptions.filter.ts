import {
  Catch,
  HttpException,
  HttpStatus,
  Logger,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { presentedBearerToken } from '../../auth/bearer-token';
import { isTokenEndpointRequest } from '../../auth/decorators/token-endpoint.decorator';
import { RateLimitedException } from '../../rate-limit/rate-limited.exception';
import { isUniqueViolation } from '../../database/database-errors';
import { redactQuery } from '../../logging/logger-options';
import { errorBody, INTERNAL_ERROR, statusText, type ErrorBody } from './error-body';
import { toTokenEndpointError } from './token-endpoint-errors';

/**
 * Turns every error into Nest's `{statusCode, message, error}` shape. Nothing internal (stack,
 * SQL, class names) reaches the client; unexpected errors are logged with their stack.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ExceptionsHandler');

  catch(exception: unknown, host: ArgumentsHost): void {
    const context = host.switchToHttp();
    const request = context.getRequest<FastifyRequest>();
    const reply = context.getResponse<FastifyReply>();
    const nestBody = this.toBody(exception, request);
    const body = isTokenEndpointRequest(request) ? toTokenEndpointError(nestBody) : nestBody;
    if (body.statusCode === (HttpStatus.UNAUTHORIZED as number)) {
      reply.header('WWW-Authenticate', wwwAuthenticate(request));
    }
    if (exception instanceof RateLimitedException) {
      reply.header('Retry-After', String(exception.retryAfterSeconds));
    }
    void reply.status(body.statusCode).send(body);
  }

  private toBody(exception: unknown, request: FastifyRequest): ErrorBody {
    if (exception instanceof HttpException) {
      return httpExceptionBody(exception);
    }
    if (isUniqueViolation(exception)) {
      return errorBody(HttpStatus.CONFLICT, 'A record with these values already exists');
    }
    const clientError = clientErrorOf(exception);
    if (clientError) {
      return clientError;
    }
    this.logger.error(
      `${request.method} ${redactQuery(request.url)} failed`,
      exception instanceof Error ? exception.stack : String(exception),
    );
    return INTERNAL_ERROR;
  }
}

function httpExceptionBody(exception: HttpException): ErrorBody {
  const status = exception.getStatus();
  const response = exception.getResponse();
  if (typeof response === 'string') {
    return errorBody(status, response);
  }
  const { message, error, ...fields } = response as Record<string, unknown>;
  const text =
    typeof message === 'string' ||
    (Array.isArray(message) && message.every((m) => typeof m === 'string'))
      ? message
      : undefined;
  if (typeof error === 'string' && error !== statusText(status)) {
    // A coded error (OAuthErrorException and the like): its code and its own fields go out.
    return { ...fields, ...errorBody(status, text ?? error), error };
  }
  return errorBody(status, text);
}

/** Errors thrown by the HTTP layer itself (body too large, malformed JSON) carry a 4xx status. */
function clientErrorOf(exception: unknown): ErrorBody | undefined {
  if (typeof exception !== 'object' || exception === null) {
    return undefined;
  }
  const { statusCode, message } = exception as { statusCode?: unknown; message?: unknown };
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
    return errorBody(statusCode, typeof message === 'string' ? message : undefined);
  }
  return undefined;
}

/** RFC 6750 §3: say `invalid_token` only when a bearer token was actually presented. */
function wwwAuthenticate(request: FastifyRequest): string {
  return presentedBearerToken(request.headers) ? 'Bearer error="invalid_token"' : 'Bearer';
}
