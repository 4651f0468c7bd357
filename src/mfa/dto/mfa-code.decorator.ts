import { applyDecorators } from '@nestjs/common';
import { IsByteLength, IsString } from 'class-validator';
import { PASSWORD_MAX_BYTES } from '../../users/validation/is-password.decorator';

/** Long enough for a recovery code typed with spaces; a wrong code of any shape is a 400. */
const CODE_MAX_BYTES = 64;

/** A TOTP code or a recovery code, as typed: the service decides whether it is right. */
export const IsMfaCode = (): PropertyDecorator =>
  applyDecorators(
    IsString(),
    IsByteLength(1, CODE_MAX_BYTES, { message: `code must be 1 to ${CODE_MAX_BYTES} bytes long` }),
  );

/** The current password, as ChangePasswordDto takes it. */
export const IsCurrentPassword = (): PropertyDecorator =>
  applyDecorators(
    IsString(),
    // No stored password is longer, and bcrypt would compare only the first 72 bytes.
    IsByteLength(1, PASSWORD_MAX_BYTES, {
      message: `currentPassword must be 1 to ${PASSWORD_MAX_BYTES} bytes long`,
    }),
  );
