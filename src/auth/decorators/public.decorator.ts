import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';

export const IS_PUBLIC_KEY = 'isPublic';
/** Marks the operation in the OpenAPI document so the lock is left off it (see swagger.ts). */
export const PUBLIC_OPERATION_EXTENSION = 'x-public';

/**
 * Opens a route (or every route of a controller) to callers without a token. Every other route
 * is protected by the global JWT guard.
 *
 * @example
 * ```ts
 * @Public()
 * @Get()
 * list() {}
 * ```
 */
export const Public = (): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(IS_PUBLIC_KEY, true), ApiExtension(PUBLIC_OPERATION_EXTENSION, true));
