import { Field, ObjectType } from 'type-graphql';
import { badInput } from '../errors';

@ObjectType('PageInfo', { description: 'Cursor pagination: pass endCursor as `after` to get the next page' })
export class PageInfoType {
  @Field(() => Boolean)
  hasNextPage: boolean;

  @Field(() => String, { nullable: true })
  endCursor: string | null;
}

const DEFAULT_PAGE_SIZE = 20;
const MAX_PAGE_SIZE = 100;

/** Validates `first` (1–100, default 20): a clear BAD_USER_INPUT rather than a silently different page. */
export function pageSize(first: number | null | undefined): number {
  if (first === null || first === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) throw badInput(`first must be between 1 and ${MAX_PAGE_SIZE}`, 'first');
  return first;
}

/** A page read with `limit + 1` rows: the extra row only says whether there is a next page. */
export function toPage<T>(rows: T[], limit: number, cursorOf: (row: T) => string): { items: T[]; pageInfo: PageInfoType } {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, pageInfo: Object.assign(new PageInfoType(), { hasNextPage: rows.length > limit, endCursor: last === undefined ? null : cursorOf(last) }) };
}
