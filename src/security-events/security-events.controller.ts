import { BadRequestException, Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/decorators/roles.decorator';
import { ListSecurityEventsQueryDto } from './dto/list-security-events.query.dto';
import { SecurityEventPageDto, SecurityEventResponseDto } from './dto/security-event-response.dto';
import { SecurityEventsService } from './security-events.service';

/** The whole audit log, for admins. */
@ApiTags('security-events')
@Roles('admin')
@Controller('security-events')
export class SecurityEventsController {
  constructor(private readonly events: SecurityEventsService) {}

  @Get()
  @ApiOperation({
    summary: 'All security events, newest first (admin)',
    description:
      'Filter by `type`, `userId` and the time range `from`..`to` (both included, ISO 8601). ' +
      'For older events pass the page’s `next` as `before`.',
  })
  @ApiOkResponse({ type: SecurityEventPageDto })
  @ApiBadRequestResponse({ description: 'Invalid or unknown query fields' })
  async list(@Query() query: ListSecurityEventsQueryDto): Promise<SecurityEventPageDto> {
    const from = parseTime('from', query.from);
    const to = parseTime('to', query.to);
    if (from && to && from > to) {
      throw new BadRequestException(['from must not be after to']);
    }
    const page = await this.events.page({
      limit: query.limit,
      before: query.before,
      type: query.type,
      userId: query.userId,
      from,
      to,
    });
    return {
      items: page.items.map((event) => SecurityEventResponseDto.from(event)),
      next: page.next,
    };
  }
}

/** ISO 8601 forms JavaScript cannot place in time (week dates) are refused like malformed ones. */
function parseTime(field: string, text: string | undefined): Date | undefined {
  if (text === undefined) {
    return undefined;
  }
  const time = new Date(text);
  if (Number.isNaN(time.getTime())) {
    throw new BadRequestException([`${field} must be an ISO 8601 date-time`]);
  }
  return time;
}
