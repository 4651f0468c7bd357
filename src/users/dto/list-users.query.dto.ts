import { PaginationQueryDto } from '../../common/dto/pagination-query.dto';

/** `GET /users`: `search` looks in the email, the username and the full name. */
export class ListUsersQueryDto extends PaginationQueryDto {}
