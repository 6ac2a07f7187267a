import { useMutation, useQuery } from '@apollo/client/react';
import { useId, useState, type FormEvent } from 'react';
import { ErrorNotice, SuccessNotice } from '../../../components/notice';
import { SetWorkspaceRateLimitDocument, WorkspaceRateLimitDocument, type WorkspaceRateLimitFieldsFragment } from '../../../generated/graphql';
import { formatNumber } from '../../../lib/format';

const perMinute = (value: number | null): string => (value === null ? 'no limit' : `${formatNumber(value)} AI requests per minute`);

/** Admin (workspace detail page): the workspace's request-rate limit, with an override of the platform's default. */
export function WorkspaceRateLimitAdmin({ workspaceId }: { workspaceId: string }) {
  const { data } = useQuery(WorkspaceRateLimitDocument, { variables: { id: workspaceId } });
  const rateLimit = data?.workspace?.rateLimit;
  // Kept here: the editor below starts afresh (its key) whenever the saved limit comes back changed.
  const [saved, setSaved] = useState<string | null>(null);
  if (!rateLimit) return null;
  return (
    <section className="card" aria-labelledby="rate-limit-admin-title" data-testid="rate-limit-admin">
      <h2 className="card-title" id="rate-limit-admin-title">
        Request-rate limit
      </h2>
      <RateLimitEditor key={`${rateLimit.requestsPerMinute}-${rateLimit.inherited}`} workspaceId={workspaceId} rateLimit={rateLimit} onSaved={setSaved} />
      {saved ? <SuccessNotice>{saved}</SuccessNotice> : null}
    </section>
  );
}

function RateLimitEditor({
  workspaceId,
  rateLimit,
  onSaved,
}: {
  workspaceId: string;
  rateLimit: WorkspaceRateLimitFieldsFragment;
  onSaved: (message: string | null) => void;
}) {
  const id = useId();
  const [value, setValue] = useState(rateLimit.inherited ? '' : String(rateLimit.requestsPerMinute ?? 0));
  const [save, state] = useMutation(SetWorkspaceRateLimitDocument, { refetchQueries: [WorkspaceRateLimitDocument] });
  const submit = async (event: FormEvent, useDefault = false) => {
    event.preventDefault();
    onSaved(null);
    const trimmed = value.trim();
    const requestsPerMinute = useDefault || trimmed === '' ? null : Number(trimmed);
    const result = await save({ variables: { workspaceId, requestsPerMinute } }).catch(() => null);
    const next = result?.data?.setWorkspaceRateLimit.rateLimit;
    if (next)
      onSaved(next.inherited ? `Back on the platform's default: ${perMinute(next.requestsPerMinute)}.` : `Saved: ${perMinute(next.requestsPerMinute)}.`);
  };
  return (
    <form onSubmit={(event) => void submit(event)}>
      <p data-testid="rate-limit-in-effect">
        Now: {perMinute(rateLimit.requestsPerMinute)} for the workspace
        {rateLimit.apiTokenRequestsPerMinute !== null ? `, ${formatNumber(rateLimit.apiTokenRequestsPerMinute)} per API token` : ''}.{' '}
        {rateLimit.inherited ? <span className="badge badge-muted">Default</span> : null}
      </p>
      <div className="inline-form">
        <div className="field">
          <label htmlFor={id}>AI requests per minute for this workspace</label>
          <input
            id={id}
            inputMode="numeric"
            value={value}
            onChange={(event) => setValue(event.target.value)}
            placeholder="Platform default"
            aria-describedby={`${id}-hint`}
            pattern="[0-9]*"
          />
          <p className="field-hint" id={`${id}-hint`}>
            Empty = the platform&apos;s default; 0 = no limit for this workspace. Over the limit, requests fail with RATE_LIMITED.
          </p>
        </div>
        <button type="submit" className="button button-primary" disabled={state.loading}>
          Save limit
        </button>
        {!rateLimit.inherited ? (
          <button type="button" className="button" disabled={state.loading} onClick={(event) => void submit(event, true)}>
            Use the default
          </button>
        ) : null}
      </div>
      {state.error ? <ErrorNotice error={state.error} /> : null}
    </form>
  );
}
