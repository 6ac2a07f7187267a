import { useMutation } from '@apollo/client/react';
import { SetWorkspaceRateLimitDocument, WorkspaceRateLimitDocument, type WorkspaceRateLimitFieldsFragment } from '../../../generated/graphql';
import { useOverrideEditor, type OverrideFormat } from '../../../hooks/use-override-editor';
import { formatNumber } from '../../../lib/format';

export const perMinute = (value: number | null): string => (value === null ? 'no limit' : `${formatNumber(value)} AI requests per minute`);

/**
 * A workspace's requests per minute: empty = the platform's default (the API's null), 0 = no limit. What is in
 * force is the API's `requestsPerMinute` (null = no limit).
 */
export const rateLimitFormat: OverrideFormat<number | null> = {
  toText: ({ value, inherited }) => (inherited ? '' : String(value ?? 0)),
  parse(text) {
    const trimmed = text.trim();
    if (trimmed === '') return { ok: true, value: null };
    if (!/^\d+$/.test(trimmed)) return { ok: false, message: 'Enter a whole number of requests per minute (0 = no limit), or leave it empty for the default.' };
    return { ok: true, value: Number(trimmed) };
  },
  savedMessage: (saved) => (saved.inherited ? `Back on the platform's default: ${perMinute(saved.value)}.` : `Saved: ${perMinute(saved.value)}.`),
};

/** Admin (workspace detail page): the workspace's request-rate limit, an override of the platform's default. */
export function useRateLimitEditor({ workspaceId, rateLimit }: { workspaceId: string; rateLimit: WorkspaceRateLimitFieldsFragment }) {
  const [save] = useMutation(SetWorkspaceRateLimitDocument, { refetchQueries: [WorkspaceRateLimitDocument] });
  return useOverrideEditor({
    current: { value: rateLimit.requestsPerMinute, inherited: rateLimit.inherited },
    format: rateLimitFormat,
    save: async (change) => {
      // The API has no separate "use the default": a null limit is the default.
      const result = await save({ variables: { workspaceId, requestsPerMinute: change === 'DEFAULT' ? null : change.value } });
      const next = result.data?.setWorkspaceRateLimit.rateLimit;
      return next ? { value: next.requestsPerMinute, inherited: next.inherited } : null;
    },
  });
}
