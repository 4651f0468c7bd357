import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsUUID } from 'class-validator';
import { SECURITY_EVENT_TYPES, type SecurityEventType } from '../security-event-type';
import { ListMySecurityEventsQueryDto } from './list-my-security-events.query.dto';

/** Kept as text here (a repeated key is an array and fails); the controller parses it. */
const ISO_8601 = { strict: true, strictSeparator: true } as const;

/** `GET /security-events` (admin): the page of all events, filtered. */
export class ListSecurityEventsQueryDto extends ListMySecurityEventsQueryDto {
  @ApiPropertyOptional({ enum: SECURITY_EVENT_TYPES })
  @IsOptional()
  @IsIn(SECURITY_EVENT_TYPES, { message: 'type must be a security event type' })
  type?: SecurityEventType;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only the events of this account' })
  @IsOptional()
  @IsUUID('all', { message: 'userId must be a UUID' })
  userId?: string;

  @ApiPropertyOptional({
    format: 'date-time',
    description: 'ISO 8601; only events at or after this time',
  })
  @IsOptional()
  @IsISO8601(ISO_8601, { message: 'from must be an ISO 8601 date-time' })
  from?: string;

  @ApiPropertyOptional({
    format: 'date-time',
    description: 'ISO 8601; only events at or before this time',
  })
  @IsOptional()
  @IsISO8601(ISO_8601, { message: 'to must be an ISO 8601 date-time' })
  to?: string;
}
