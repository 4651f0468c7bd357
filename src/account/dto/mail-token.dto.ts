import { ApiProperty } from '@nestjs/swagger';
import { IsString } from 'class-validator';

export const MAIL_TOKEN_PROPERTY = {
  description:
    'The token from the link in the mail (the part after `token=`), or from the development log',
  example: 'mGk1v3Xq0cT4b2Jw9yQn7sLr5uZe8aHd6fPo1iKj3Vw',
} as const;

/** `POST /auth/email/verify` and `POST /auth/email/change/confirm`. */
export class MailTokenDto {
  // Any string: one that is not a live token gets the same 400 as an expired or used one.
  @ApiProperty(MAIL_TOKEN_PROPERTY)
  @IsString()
  token!: string;
}
