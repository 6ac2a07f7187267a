import { useQuery } from '@apollo/client/react';
import { OverrideEditor } from '../../../components/override-editor';
import { WorkspaceRateLimitDocument, type WorkspaceRateLimitFieldsFragment } from '../../../generated/graphql';
import { formatNumber } from '../../../lib/format';
import { perMinute, useRateLimitEditor } from '../hooks/use-rate-limit-editor';

/** Admin (workspace detail page): the workspace's request-rate limit, with an override of the platform's default. */
export function WorkspaceRateLimitAdmin({ workspaceId }: { workspaceId: string }) {
  const { data } = useQuery(WorkspaceRateLimitDocument, { variables: { id: workspaceId } });
  const rateLimit = data?.workspace?.rateLimit;
  if (!rateLimit) return null;
  return (
    <section className="card" aria-labelledby="rate-limit-admin-title" data-testid="rate-limit-admin">
      <h2 className="card-title" id="rate-limit-admin-title">
        Request-rate limit
      </h2>
      <RateLimitEditor workspaceId={workspaceId} rateLimit={rateLimit} />
    </section>
  );
}

function RateLimitEditor({ workspaceId, rateLimit }: { workspaceId: string; rateLimit: WorkspaceRateLimitFieldsFragment }) {
  const editor = useRateLimitEditor({ workspaceId, rateLimit });
  return (
    <OverrideEditor
      editor={editor}
      summaryTestId="rate-limit-in-effect"
      summary={
        <>
          Now: {perMinute(rateLimit.requestsPerMinute)} for the workspace
          {rateLimit.apiTokenRequestsPerMinute !== null ? `, ${formatNumber(rateLimit.apiTokenRequestsPerMinute)} per API token` : ''}.
        </>
      }
      inherited={rateLimit.inherited}
      workspace
      label="AI requests per minute for this workspace"
      hint="Empty = the platform's default; 0 = no limit for this workspace. Over the limit, requests fail with RATE_LIMITED."
      placeholder="Platform default"
      inputMode="numeric"
      saveLabel="Save limit"
    />
  );
}
