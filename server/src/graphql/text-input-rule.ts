import type { MiddlewareFn } from 'type-graphql';
import { assertNoControlCharacters } from '../validation/control-characters';

/**
 * One input rule for every text argument of the schema, run before any resolver: control characters are
 * refused with BAD_USER_INPUT naming the argument, so none reaches a service or the database.
 */
export const TextInputRule: MiddlewareFn = async ({ args }, next) => {
  if (args && Object.keys(args).length > 0) assertNoControlCharacters(args);
  return next();
};
