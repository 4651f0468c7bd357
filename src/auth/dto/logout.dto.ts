import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';

export class LogoutDto {
  @ApiPropertyOptional({
    description:
      "A refresh token of another of the caller's sessions, to end that session as well. " +
      "A token that is not the caller's is ignored.",
  })
  @IsOptional()
  @IsString()
  refresh_token?: string;
}
