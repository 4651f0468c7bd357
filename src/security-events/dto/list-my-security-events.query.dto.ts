import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { ToInteger } from '../../common/dto/pagination-query.dto';
import { SECURITY_EVENT_ID_FORMAT } from '../security-event-id';

const DEFAULT_PAGE_SIZE = 20;
const MAX_PAGE_SIZE = 100;

/** `GET /users/me/security-events?limit=&before=`. */
export class ListMySecurityEventsQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE })
  @IsOptional()
  @ToInteger()
  @IsInt({ message: 'limit must be a whole number' })
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit: number = DEFAULT_PAGE_SIZE;

  @ApiPropertyOptional({
    format: 'uuid',
    description: "An event id (a page's `next`): only events older than it",
  })
  @IsOptional()
  @Matches(SECURITY_EVENT_ID_FORMAT, { message: 'before must be a security event id' })
  before?: string;
}
