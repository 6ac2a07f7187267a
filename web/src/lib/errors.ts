import { CombinedGraphQLErrors, ServerError } from '@apollo/client/errors';
import { ERROR_EXPLANATIONS, fixerFor, isErrorCode, type ErrorCode, type ErrorFixer } from '@byok/shared';

/** An error as the UI shows it: a plain title, the server's exact message, and who can fix it. */
export interface DisplayError {
  code: ErrorCode | null;
  title: string;
  /** The server's own message (never contains a secret, R5). Empty when it would only repeat the title. */
  detail: string;
  whoCanFix: string | null;
  /** Who can fix it, when the error says which key it is about (e.g. KEY_UNREADABLE on the platform's key is an admin's). */
  fixer?: ErrorFixer;
}

const FIXER_TEXT: Record<ErrorFixer, string | null> = {
  YOU: null,
  WORKSPACE_OWNER: 'The owner of this workspace can fix this.',
  PLATFORM_ADMIN: 'A platform admin can fix this.',
  TRY_LATER: 'Try again in a moment.',
  NOBODY: null,
};

/** Whether a display error still carries the generic "who can fix it" of its code (so it may be reworded for the reader). */
export function hasGenericFixHint(display: DisplayError): boolean {
  return isErrorCode(display.code) && display.whoCanFix === FIXER_TEXT[display.fixer ?? ERROR_EXPLANATIONS[display.code].whoCanFix];
}

/** Builds the display form of an error code and message, e.g. from the streaming endpoint. */
export function explainError(code: unknown, message: string | null | undefined, extensions: Record<string, unknown> = {}): DisplayError {
  if (isErrorCode(code)) {
    const explanation = ERROR_EXPLANATIONS[code];
    const detail = message && message !== explanation.title ? message : '';
    const fixer = fixerFor(code, extensions.keySource);
    return { code, title: explanation.title, detail, whoCanFix: FIXER_TEXT[fixer], fixer };
  }
  return { code: null, title: 'Something went wrong', detail: message ?? '', whoCanFix: FIXER_TEXT.TRY_LATER };
}

interface GraphQLErrorLike {
  message: string;
  extensions?: Record<string, unknown>;
}

function firstGraphQLError(error: unknown): GraphQLErrorLike | null {
  if (CombinedGraphQLErrors.is(error)) return error.errors[0] ?? null;
  if (ServerError.is(error)) {
    // Apollo Server answers some rejections (e.g. CSRF, validation) with a 4xx and a GraphQL body.
    try {
      const body = JSON.parse(error.bodyText) as { errors?: GraphQLErrorLike[] };
      return body.errors?.[0] ?? null;
    } catch {
      return null;
    }
  }
  return null;
}

/** Turns anything Apollo (or fetch) throws into something a person can read. */
export function toDisplayError(error: unknown): DisplayError {
  const graphQLError = firstGraphQLError(error);
  if (graphQLError) return explainError(graphQLError.extensions?.code, graphQLError.message, graphQLError.extensions);
  if (error instanceof TypeError) {
    return { code: null, title: 'Cannot reach the server', detail: 'Check your connection and try again.', whoCanFix: null };
  }
  return explainError('INTERNAL_SERVER_ERROR', null);
}

/** Errors from a query run with errorPolicy 'all', minus the expected FORBIDDEN on fields a role may not read (R6). */
export function unexpectedErrors(error: unknown): unknown {
  if (!CombinedGraphQLErrors.is(error)) return error;
  return error.errors.every((item) => item.extensions?.code === 'FORBIDDEN' && (item.path?.length ?? 0) > 1) ? undefined : error;
}
