import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

const DEFAULT_PAGE_SIZE = 20;
const MAX_PAGE_SIZE = 100;

/**
 * Query strings arrive as strings and the global ValidationPipe does no implicit conversion, so
 * only plain decimal digits become a number; anything else ("abc", "1.5", "1e3", a repeated key)
 * is left as it came and fails @IsInt with a 400.
 */
export const ToInteger = (): PropertyDecorator =>
  Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : value,
  );

/** `?page=&limit=&search=`, shared by every paginated list (GET /users, GET /posts). */
export class PaginationQueryDto {
  @ApiPropertyOptional({ minimum: 1, default: 1 })
  @IsOptional()
  @ToInteger()
  @IsInt({ message: 'page must be a whole number' })
  @Min(1)
  page: number = 1;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE })
  @IsOptional()
  @ToInteger()
  @IsInt({ message: 'limit must be a whole number' })
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit: number = DEFAULT_PAGE_SIZE;

  @ApiPropertyOptional({ description: 'Case-insensitive substring to look for', maxLength: 100 })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  search?: string;

  get offset(): number {
    return (this.page - 1) * this.limit;
  }
}

/**
 * A LIKE pattern matching `text` anywhere, lower-cased, with LIKE's wildcards escaped. Use it
 * with `lower(column) LIKE :pattern ESCAPE '\'` (the same SQL on SQLite and PostgreSQL).
 */
export function containsPattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
