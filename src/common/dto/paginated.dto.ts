import { Type } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import type { PaginationQueryDto } from './pagination-query.dto';

/** One page of a list: `{items, total, page, limit}`. */
export interface Paginated<T> {
  items: T[];
  total: number;
  page: number;
  limit: number;
}

export function paginated<T>(items: T[], total: number, query: PaginationQueryDto): Paginated<T> {
  return { items, total, page: query.page, limit: query.limit };
}

/**
 * The OpenAPI class of a page of `Item`s, for `@ApiOkResponse({ type: PaginatedDto(UserResponseDto) })`.
 * Generic classes leave no runtime trace for Swagger, hence one named class per item type.
 */
export function PaginatedDto<Item>(item: Type<Item>): Type<Paginated<Item>> {
  class PaginatedOfItem implements Paginated<Item> {
    @ApiProperty({ type: item, isArray: true })
    items!: Item[];

    @ApiProperty({ description: 'Number of matching items on all pages', example: 42 })
    total!: number;

    @ApiProperty({ example: 1 })
    page!: number;

    @ApiProperty({ example: 20 })
    limit!: number;
  }
  Object.defineProperty(PaginatedOfItem, 'name', {
    value: `${item.name.replace(/Dto$/, '')}PageDto`,
  });
  return PaginatedOfItem;
}
