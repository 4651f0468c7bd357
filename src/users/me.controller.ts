import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '../auth/decorators/current-user.decorator';
import { UserResponseDto } from './dto/user-response.dto';
import type { User } from './user.entity';

@ApiTags('me')
@Controller('users/me')
export class MeController {
  @Get()
  @ApiOperation({ summary: 'The signed-in user' })
  @ApiOkResponse({ type: UserResponseDto })
  getMe(@CurrentUser() user: User): UserResponseDto {
    return UserResponseDto.from(user);
  }
}
