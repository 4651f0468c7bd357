import { applyDecorators } from '@nestjs/common';
import { IsByteLength, IsString } from 'class-validator';

export const PASSWORD_MIN_BYTES = 8;
// bcrypt reads only the first 72 bytes; a longer password would silently match its prefix.
export const PASSWORD_MAX_BYTES = 72;

/** A password of 8 to 72 bytes of UTF-8. */
export const IsPassword = (): PropertyDecorator =>
  applyDecorators(
    IsString(),
    IsByteLength(PASSWORD_MIN_BYTES, PASSWORD_MAX_BYTES, {
      message: `password must be ${PASSWORD_MIN_BYTES} to ${PASSWORD_MAX_BYTES} bytes long`,
    }),
  );
