import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { POST_CONTENT_MAX_LENGTH, POST_TITLE_MAX_LENGTH } from '../post.entity';

export class CreatePostDto {
  @ApiProperty({ minLength: 1, maxLength: POST_TITLE_MAX_LENGTH, example: 'Hello, world' })
  @IsString()
  @Length(1, POST_TITLE_MAX_LENGTH)
  title!: string;

  @ApiProperty({ minLength: 1, maxLength: POST_CONTENT_MAX_LENGTH, example: 'My first post.' })
  @IsString()
  @Length(1, POST_CONTENT_MAX_LENGTH)
  content!: string;
}
