import { ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayNotEmpty,
  ArrayUnique,
  IsArray,
  Equals,
  IsBoolean,
  IsEnum,
  IsOptional,
  IsString,
  MaxLength,
} from 'class-validator';
import { IsOptionalNotNull } from '../../common/validation/is-optional-not-null.decorator';
import { Role } from '../role.enum';
import { IsUsername } from '../validation/is-username.decorator';

/** `PATCH /users/:id` (admin). Every field is optional; `fullName: null` clears the name. */
export class AdminUpdateUserDto {
  @ApiPropertyOptional({ example: false })
  @IsOptionalNotNull()
  @IsBoolean()
  isActive?: boolean;

  @ApiPropertyOptional({ enum: Role, isArray: true, example: [Role.User, Role.Admin] })
  @IsOptionalNotNull()
  @IsArray()
  @ArrayNotEmpty()
  @ArrayUnique()
  @IsEnum(Role, {
    each: true,
    message: `each role must be one of ${Object.values(Role).join(', ')}`,
  })
  roles?: Role[];

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 100, example: 'Ada Lovelace' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  fullName?: string | null;

  @ApiPropertyOptional({ example: 'ada', pattern: '^[A-Za-z0-9_.-]{3,32}$' })
  @IsOptionalNotNull()
  @IsUsername()
  username?: string;

  @ApiPropertyOptional({
    example: true,
    description: 'Marks the address as proved (or not) without a mail link',
  })
  @IsOptionalNotNull()
  @IsBoolean()
  emailVerified?: boolean;

  @ApiPropertyOptional({
    enum: [false],
    description:
      "Only `false`: turns the user's second factor off (a lost device). Users turn it on themselves.",
  })
  @IsOptionalNotNull()
  @Equals(false, {
    message: 'mfaEnabled can only be set to false: users turn their second factor on themselves',
  })
  mfaEnabled?: false;
}
