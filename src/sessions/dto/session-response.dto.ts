import { ApiProperty } from '@nestjs/swagger';
import type { Session } from '../session.entity';

/** A session as its owner sees it in the list: no token, no hash. */
export class SessionResponseDto {
  @ApiProperty({ format: 'uuid', description: "The session id (the access token's `sid`)" })
  id!: string;

  @ApiProperty({ format: 'date-time', description: 'When the session was opened (login)' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time', description: 'The last login or refresh' })
  lastUsedAt!: string;

  @ApiProperty({ format: 'date-time', description: 'When its refresh token expires' })
  expiresAt!: string;

  @ApiProperty({ type: String, nullable: true, example: 'Mozilla/5.0 (X11; Linux x86_64)' })
  userAgent!: string | null;

  @ApiProperty({ type: String, nullable: true, example: '203.0.113.7' })
  ip!: string | null;

  @ApiProperty({ description: 'True for the session of the access token of this request' })
  current!: boolean;

  static from(session: Session, currentSessionId: string): SessionResponseDto {
    return {
      id: session.id,
      createdAt: session.createdAt.toISOString(),
      lastUsedAt: session.lastUsedAt.toISOString(),
      expiresAt: session.expiresAt.toISOString(),
      userAgent: session.userAgent,
      ip: session.ip,
      current: session.id === currentSessionId,
    };
  }
}
