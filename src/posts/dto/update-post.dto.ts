import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { IsOptionalNotNull } from '../../common/validation/is-optional-not-null.decorator';
import { POST_CONTENT_MAX_LENGTH, POST_TITLE_MAX_LENGTH } from '../post.entity';

export class UpdatePostDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: POST_TITLE_MAX_LENGTH })
  @IsOptionalNotNull()
  @IsString()
  @Length(1, POST_TITLE_MAX_LENGTH)
  title?: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: POST_CONTENT_MAX_LENGTH })
  @IsOptionalNotNull()
  @IsString()
  @Length(1, POST_CONTENT_MAX_LENGTH)
  content?: string;
}
