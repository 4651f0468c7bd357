import { PaginationQueryDto } from '../../common/dto/pagination-query.dto';

/** `GET /posts`: `search` looks in the title. */
export class ListPostsQueryDto extends PaginationQueryDto {}
