import { applyDecorators } from '@nestjs/common';
import { IsString, Matches } from 'class-validator';

export const USERNAME_PATTERN = /^[A-Za-z0-9_.-]{3,32}$/;

/** 3 to 32 of `A-Za-z0-9_.-`. */
export const IsUsername = (): PropertyDecorator =>
  applyDecorators(
    IsString(),
    Matches(USERNAME_PATTERN, {
      message: 'username must be 3 to 32 characters of letters, digits, "_", "." or "-"',
    }),
  );
