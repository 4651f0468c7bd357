import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';

/** RFC 7662 §2.1, as the form or JSON. */
export class IntrospectTokenDto {
  @ApiProperty({ description: 'The token to look at' })
  @IsString()
  token!: string;

  @ApiPropertyOptional({ enum: ['access_token', 'refresh_token'], description: 'Ignored' })
  @IsOptional()
  @IsString()
  token_type_hint?: string;
}
