import { ApiProperty } from '@nestjs/swagger';
import { SECURITY_EVENT_TYPES, type SecurityEventType } from '../security-event-type';
import type { SecurityEvent, SecurityEventDetails } from '../security-event.entity';

/** A security event as the lists and the webhooks show it. */
export class SecurityEventResponseDto {
  @ApiProperty({ format: 'uuid', description: 'A UUIDv7; pass it as `before` for older events' })
  id!: string;

  @ApiProperty({ enum: SECURITY_EVENT_TYPES, example: 'login.succeeded' })
  type!: SecurityEventType;

  @ApiProperty({ format: 'date-time', description: 'When it happened (millisecond precision)' })
  at!: string;

  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'The account concerned (kept after the account is deleted)',
  })
  userId!: string | null;

  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'Who acted: the user, an admin, or null when nobody was signed in',
  })
  actorId!: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  sessionId!: string | null;

  @ApiProperty({ type: String, nullable: true, example: '203.0.113.7' })
  ip!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'Mozilla/5.0 (X11; Linux x86_64)' })
  userAgent!: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    description: "The caller's X-Request-Id, else the id the server gave the request",
  })
  requestId!: string | null;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: { reason: 'wrong_password' },
    description: 'What the type alone does not say; never a password, token, code or hash',
  })
  details!: SecurityEventDetails;

  static from(event: SecurityEvent): SecurityEventResponseDto {
    return {
      id: event.id,
      type: event.type,
      at: event.at.toISOString(),
      userId: event.userId,
      actorId: event.actorId,
      sessionId: event.sessionId,
      ip: event.ip,
      userAgent: event.userAgent,
      requestId: event.requestId,
      details: event.details,
    };
  }
}

/** `{items, next}`: newest first; `next` is the `before` of the following page. */
export class SecurityEventPageDto {
  @ApiProperty({ type: SecurityEventResponseDto, isArray: true })
  items!: SecurityEventResponseDto[];

  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'Pass as `before` for the next page; null on the last page',
  })
  next!: string | null;
}
