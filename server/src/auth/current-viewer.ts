import { createParameterDecorator } from 'type-graphql';
import { unauthenticated } from '../errors';
import type { GraphQLContext } from './context';
import type { Viewer } from './viewer';

type ViewerParameterDecorator = ReturnType<typeof createParameterDecorator>;

/**
 * The signed-in viewer as a resolver parameter. With `@Authorized()` the checker has already refused
 * anonymous requests; this throws UNAUTHENTICATED too, so the parameter is never null.
 */
export function CurrentViewer(): ViewerParameterDecorator {
  return createParameterDecorator<GraphQLContext>(({ context }): Viewer => {
    if (!context.viewer) throw unauthenticated();
    return context.viewer;
  });
}

/** The viewer, or null for an anonymous request (fields that answer anonymous callers too). */
export function OptionalViewer(): ViewerParameterDecorator {
  return createParameterDecorator<GraphQLContext>(({ context }): Viewer | null => context.viewer);
}
