import { isObjectType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { assertNoControlCharacters } from '../validation/control-characters';

/**
 * One input rule for every text argument of the schema, run before any resolver: control characters are
 * refused with BAD_USER_INPUT naming the argument, so none reaches a service or the database.
 *
 * Applied to the built schema, and only to fields that take arguments: a TypeGraphQL global middleware would
 * wrap every field of every object in async middleware, which made a 1,000-workspace usage report spend
 * seconds resolving plain properties.
 */
export function applyTextInputRule(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      if (field.args.length === 0) continue;
      const resolve: GraphQLFieldResolver<unknown, unknown> | undefined = field.resolve;
      field.resolve = (source, args: Record<string, unknown>, context, info) => {
        if (Object.keys(args).length > 0) assertNoControlCharacters(args);
        return resolve ? resolve(source, args, context, info) : (source as Record<string, unknown> | null)?.[info.fieldName];
      };
    }
  }
  return schema;
}
