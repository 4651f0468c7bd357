import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '../auth/decorators/current-user.decorator';
import { ListMySecurityEventsQueryDto } from './dto/list-my-security-events.query.dto';
import { SecurityEventPageDto, SecurityEventResponseDto } from './dto/security-event-response.dto';
import { SecurityEventsService } from './security-events.service';

@ApiTags('me')
@Controller('users/me/security-events')
export class MeSecurityEventsController {
  constructor(private readonly events: SecurityEventsService) {}

  @Get()
  @ApiOperation({
    summary: 'Your security events, newest first',
    description:
      'Sign-ins (failed ones too), refreshes, sign-outs and changes to your account. ' +
      'For older events pass the page’s `next` as `before`.',
  })
  @ApiOkResponse({ type: SecurityEventPageDto })
  @ApiBadRequestResponse({ description: 'Invalid or unknown query fields' })
  async list(
    @CurrentUser('id') userId: string,
    @Query() query: ListMySecurityEventsQueryDto,
  ): Promise<SecurityEventPageDto> {
    const page = await this.events.page({ limit: query.limit, before: query.before, userId });
    return {
      items: page.items.map((event) => SecurityEventResponseDto.from(event)),
      next: page.next,
    };
  }
}
