import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength, ValidateIf } from 'class-validator';
import { IsUsername } from '../validation/is-username.decorator';

/** What a user may change about themselves; email, roles and state are the admin's. */
export class UpdateMeDto {
  @ApiPropertyOptional({
    example: 'ada',
    minLength: 3,
    maxLength: 32,
    pattern: '^[A-Za-z0-9_.-]+$',
  })
  // Not @IsOptional(): that would let `null` through, and a username cannot be cleared.
  @ValidateIf((_object, value) => value !== undefined)
  @IsUsername()
  username?: string;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    maxLength: 100,
    example: 'Ada Lovelace',
    description: '`null` clears it',
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  fullName?: string | null;
}
