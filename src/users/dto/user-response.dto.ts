import { ApiProperty } from '@nestjs/swagger';
import { Role } from '../role.enum';
import type { User } from '../user.entity';

/** The only shape in which a user leaves the server: no hash, no secret, ever. */
export class UserResponseDto {
  @ApiProperty({ format: 'uuid', example: '3f1c2b5e-8a0d-4c6e-9f5b-2d7e1a9c4b10' })
  id!: string;

  @ApiProperty({ example: 'ada@example.com' })
  email!: string;

  @ApiProperty({ example: 'ada' })
  username!: string;

  @ApiProperty({ type: String, nullable: true, example: 'Ada Lovelace' })
  fullName!: string | null;

  @ApiProperty({ example: true })
  isActive!: boolean;

  @ApiProperty({ example: false, description: 'The owner proved the address by a mail link' })
  emailVerified!: boolean;

  @ApiProperty({ description: 'A second factor (TOTP) is on', example: false })
  mfaEnabled!: boolean;

  @ApiProperty({ enum: Role, isArray: true, example: [Role.User] })
  roles!: Role[];

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;

  static from(user: User): UserResponseDto {
    return {
      id: user.id,
      email: user.email,
      username: user.username,
      fullName: user.fullName,
      isActive: user.isActive,
      emailVerified: user.emailVerified,
      mfaEnabled: user.mfaEnabled,
      roles: user.roles,
      createdAt: user.createdAt.toISOString(),
      updatedAt: user.updatedAt.toISOString(),
    };
  }
}
