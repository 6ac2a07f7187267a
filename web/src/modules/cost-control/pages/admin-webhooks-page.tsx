import { useMutation, useQuery } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import { SecretShownOnce } from '../../../components/secret-shown-once';
import { ConfirmDialog } from '../../../components/dialog';
import { Field } from '../../../components/field';
import { EmptyState, ErrorNotice, Loading, SuccessNotice } from '../../../components/notice';
import { PageHeader } from '../../../components/page-header';
import {
  CreateWebhookDocument,
  DeleteWebhookDocument,
  SendTestWebhookEventDocument,
  WebhookDeliveriesDocument,
  WebhooksDocument,
  type WebhookEventType,
  type WebhookFieldsFragment,
} from '../../../generated/graphql';
import { formatDateTime } from '../../../lib/format';

const EVENT_CHOICES: Array<{ type: WebhookEventType; label: string; hint: string }> = [
  { type: 'KEY_INVALID', label: 'Key rejected', hint: 'A workspace key or a platform key became INVALID (traffic or verification)' },
  { type: 'BUDGET_THRESHOLD', label: 'Cap thresholds', hint: 'A workspace crossed 80% or 100% of its monthly cap on platform keys' },
  { type: 'BYOK_TOGGLED', label: 'BYOK switched', hint: 'Workspace keys turned on or off for a provider' },
];

function Deliveries({ webhookId }: { webhookId: string }) {
  // Deliveries change in the background (retries): refreshed every few seconds while the panel is open.
  const { data, loading, error } = useQuery(WebhookDeliveriesDocument, { variables: { webhookId }, pollInterval: 3000 });
  const deliveries = data?.webhookDeliveries ?? [];
  if (loading && !data) return <Loading label="Loading deliveries…" />;
  if (error) return <ErrorNotice error={error} />;
  if (deliveries.length === 0) return <EmptyState title="No deliveries yet">Use “Send test event” to try the endpoint.</EmptyState>;
  return (
    <div className="table-wrap">
      <table className="table" aria-label="Deliveries">
        <thead>
          <tr>
            <th scope="col">Event</th>
            <th scope="col">Status</th>
            <th scope="col">Response</th>
            <th scope="col">Attempts</th>
            <th scope="col">Next retry</th>
            <th scope="col">Created</th>
          </tr>
        </thead>
        <tbody>
          {deliveries.map((delivery) => (
            <tr key={delivery.id} data-delivery-status={delivery.status}>
              <td>
                <code>{delivery.eventType}</code>
              </td>
              <td>
                <span className={delivery.status === 'DELIVERED' ? 'badge badge-good' : delivery.status === 'FAILED' ? 'badge badge-bad' : 'badge badge-warn'}>
                  {delivery.status === 'DELIVERED' ? 'Delivered' : delivery.status === 'FAILED' ? 'Given up' : 'Pending'}
                </span>
              </td>
              <td>
                {delivery.lastResponseCode !== null ? `HTTP ${delivery.lastResponseCode}` : delivery.attempts === 0 ? 'Not sent yet' : 'No answer'}
                {delivery.lastError ? <span className="cell-detail">{delivery.lastError}</span> : null}
              </td>
              <td>
                <details>
                  <summary>{delivery.attempts}</summary>
                  <ol className="attempt-log">
                    {delivery.attemptLog.map((attempt, index) => (
                      <li key={index}>
                        {formatDateTime(attempt.attemptedAt)}: {attempt.responseCode !== null ? `HTTP ${attempt.responseCode}` : (attempt.error ?? 'no answer')}{' '}
                        ({attempt.durationMs} ms)
                      </li>
                    ))}
                  </ol>
                </details>
              </td>
              <td>{delivery.nextAttemptAt ? formatDateTime(delivery.nextAttemptAt) : '—'}</td>
              <td>{formatDateTime(delivery.createdAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function WebhookCard({ webhook, onRemove }: { webhook: WebhookFieldsFragment; onRemove: () => void }) {
  const [sendTest, testState] = useMutation(SendTestWebhookEventDocument, { refetchQueries: [WebhookDeliveriesDocument] });
  const [sent, setSent] = useState(false);
  return (
    <section className="card" aria-label={`Webhook ${webhook.url}`}>
      <div className="card-header">
        <div>
          <h2 className="card-title webhook-url">{webhook.url}</h2>
          <p className="muted">
            {webhook.events.map((type) => EVENT_CHOICES.find((choice) => choice.type === type)?.label ?? type).join(', ')} · added{' '}
            {formatDateTime(webhook.createdAt)}
          </p>
        </div>
        <div className="button-row">
          <button
            type="button"
            className="button button-small"
            disabled={testState.loading}
            onClick={() => {
              setSent(false);
              void sendTest({ variables: { id: webhook.id } })
                .then(() => setSent(true))
                .catch(() => null);
            }}
          >
            Send test event
          </button>
          <button type="button" className="button button-small button-danger" onClick={onRemove}>
            Remove
          </button>
        </div>
      </div>
      {sent ? <SuccessNotice>Test event queued: its delivery appears below.</SuccessNotice> : null}
      {testState.error ? <ErrorNotice error={testState.error} /> : null}
      <Deliveries webhookId={webhook.id} />
    </section>
  );
}

/** Admin → Webhooks (R15): endpoints, the events each receives, the secret shown once, and every delivery attempt. */
export function AdminWebhooksPage() {
  const { data, loading, error } = useQuery(WebhooksDocument);
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<WebhookEventType[]>(EVENT_CHOICES.map((choice) => choice.type));
  // The secret lives only in this component's state: gone on navigation, never stored.
  const [created, setCreated] = useState<{ url: string; secret: string } | null>(null);
  const [removing, setRemoving] = useState<WebhookFieldsFragment | null>(null);
  const [create, createState] = useMutation(CreateWebhookDocument, { refetchQueries: [WebhooksDocument], awaitRefetchQueries: true });
  const [remove, removeState] = useMutation(DeleteWebhookDocument, { refetchQueries: [WebhooksDocument], awaitRefetchQueries: true });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const result = await create({ variables: { url: url.trim(), events } }).catch(() => null);
    if (result?.data) {
      setCreated({ url: result.data.createWebhook.webhook.url, secret: result.data.createWebhook.secret });
      setUrl('');
    }
  };
  const webhooks = data?.webhooks ?? [];
  return (
    <>
      <PageHeader
        title="Webhooks"
        description="Endpoints that receive key-health and cost events, signed with byok-signature (HMAC-SHA256 of “<t>.<raw body>” with the endpoint's secret). Failed deliveries are retried with backoff."
      />
      <section className="card">
        <h2 className="card-title">Add an endpoint</h2>
        <form onSubmit={(event) => void submit(event)}>
          <Field
            label="URL"
            type="url"
            hint="HTTPS, reachable from this server."
            value={url}
            onChange={(event) => setUrl(event.target.value)}
            placeholder="https://hooks.example.com/byok"
            required
          />
          <fieldset className="checkbox-group">
            <legend>Events</legend>
            {EVENT_CHOICES.map((choice) => (
              <label key={choice.type} className="checkbox">
                <input
                  type="checkbox"
                  checked={events.includes(choice.type)}
                  onChange={(event) =>
                    setEvents((current) => (event.target.checked ? [...current, choice.type] : current.filter((type) => type !== choice.type)))
                  }
                />{' '}
                {choice.label} <span className="muted">— {choice.hint}</span>
              </label>
            ))}
          </fieldset>
          <button type="submit" className="button button-primary" disabled={createState.loading || url.trim() === '' || events.length === 0}>
            {createState.loading ? 'Adding…' : 'Add endpoint'}
          </button>
        </form>
        {createState.error ? <ErrorNotice error={createState.error} /> : null}
        {created ? (
          <SecretShownOnce
            title={<>Endpoint {created.url} added. Copy its signing secret now: it will not be shown again.</>}
            value={created.secret}
            testId="webhook-secret"
            onHide={() => setCreated(null)}
          />
        ) : null}
      </section>
      {loading && !data ? <Loading /> : null}
      {error ? <ErrorNotice error={error} /> : null}
      {removeState.error ? <ErrorNotice error={removeState.error} /> : null}
      {data && webhooks.length === 0 ? <EmptyState title="No endpoints yet" /> : null}
      {webhooks.map((webhook) => (
        <WebhookCard key={webhook.id} webhook={webhook} onRemove={() => setRemoving(webhook)} />
      ))}
      <ConfirmDialog
        open={removing !== null}
        title="Remove this endpoint?"
        confirmLabel="Remove endpoint"
        danger
        busy={removeState.loading}
        onCancel={() => setRemoving(null)}
        onConfirm={() => {
          if (!removing) return;
          void remove({ variables: { id: removing.id } })
            .catch(() => null)
            .finally(() => setRemoving(null));
        }}
      >
        <p>{removing?.url} will no longer receive events; its pending deliveries are dropped.</p>
      </ConfirmDialog>
    </>
  );
}
