import { EmptyState } from '../../../components/notice';
import type { AuditEventFieldsFragment } from '../../../generated/graphql';
import { formatDateTime } from '../../../lib/format';
import { providerLabel } from '../../../lib/providers';

/** Human wording for the audit actions the server records (unknown ones are shown as-is). */
export const AUDIT_ACTION_LABELS: Record<string, string> = {
  INTEGRATION_BYOK_ENABLED: 'Custom keys turned on',
  INTEGRATION_BYOK_DISABLED: 'Custom keys turned off',
  GLOBAL_KEY_SET: 'Platform key set',
  GLOBAL_KEY_CLEARED: 'Platform key cleared',
  GLOBAL_KEY_VERIFIED: 'Platform key verified',
  WORKSPACE_KEY_SET: 'Workspace key added',
  WORKSPACE_KEY_REPLACED: 'Workspace key replaced',
  WORKSPACE_KEY_REMOVED: 'Workspace key removed',
  WORKSPACE_KEY_VERIFIED: 'Workspace key verified',
  WORKSPACE_CREATED: 'Workspace created',
  MEMBER_ADDED: 'Member added',
  MEMBER_REMOVED: 'Member removed',
  WORKSPACE_KEY_INVALID: 'Workspace key rejected by the provider',
  GLOBAL_KEY_INVALID: 'Platform key rejected by the provider',
  PLATFORM_KEY_BUDGET_SET: 'Platform-key cap set',
  PLATFORM_KEY_BUDGET_THRESHOLD: 'Platform-key cap threshold crossed',
  WEBHOOK_CREATED: 'Webhook added',
  WEBHOOK_DELETED: 'Webhook removed',
  WORKSPACE_RATE_LIMIT_SET: 'Rate limit set',
  API_TOKEN_CREATED: 'API token created',
  API_TOKEN_REVOKED: 'API token revoked',
};

const TRIGGER_TEXT: Record<string, string> = { AI_REQUEST: 'found during an AI request', VERIFICATION: 'found when verified' };

/** The preview's numbers a BYOK switch or a cleared platform key recorded (R14: the same numbers the admin confirmed). */
function describeImpact(impact: unknown): string[] {
  if (typeof impact !== 'object' || impact === null) return [];
  const counts = impact as Record<string, unknown>;
  const parts: string[] = [];
  const add = (key: string, text: string) => {
    const count = counts[key];
    if (typeof count === 'number' && count > 0) parts.push(`${count} ${text}`);
  };
  add('toWorkingPlatformKey', "to the platform's key");
  add('toRejectedPlatformKey', 'to a rejected platform key');
  add('toNoKey', 'left with no key');
  add('toOwnKey', 'to their own key');
  return parts;
}

/** Key-free details worth a word in the table (e.g. how many workspaces a BYOK switch moved). */
function describeDetails(event: AuditEventFieldsFragment): string | null {
  const parts: string[] = [];
  if (event.targetUserEmail) parts.push(event.targetUserEmail);
  const tokenName = event.details.tokenName;
  if (typeof tokenName === 'string') parts.push(`token “${tokenName}”`);
  const affected = event.details.workspacesAffected;
  if (typeof affected === 'number') parts.push(`${affected} workspace${affected === 1 ? '' : 's'} affected`);
  parts.push(...describeImpact(event.details.impact));
  const trigger = event.details.trigger;
  if (typeof trigger === 'string' && TRIGGER_TEXT[trigger]) parts.push(TRIGGER_TEXT[trigger]);
  const status = event.details.status;
  if (typeof status === 'string') parts.push(`result: ${status.toLowerCase()}`);
  const reason = event.details.reason;
  if (reason === 'KEY_REJECTED') parts.push('the provider rejected the key');
  const httpStatus = event.details.httpStatus;
  if (typeof httpStatus === 'number') parts.push(`HTTP ${httpStatus}`);
  return parts.length > 0 ? parts.join(' · ') : null;
}

export function AuditTable({ events, showWorkspace = false }: { events: AuditEventFieldsFragment[]; showWorkspace?: boolean }) {
  if (events.length === 0) return <EmptyState title="No events match" />;
  return (
    <div className="table-wrap">
      <table className="table">
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">What</th>
            <th scope="col">Who</th>
            <th scope="col">Provider</th>
            {showWorkspace ? <th scope="col">Workspace</th> : null}
            <th scope="col">Key fingerprint</th>
          </tr>
        </thead>
        <tbody>
          {events.map((event) => {
            const details = describeDetails(event);
            return (
              <tr key={event.id} data-action={event.action}>
                <td className="nowrap">{formatDateTime(event.occurredAt)}</td>
                <td>
                  {AUDIT_ACTION_LABELS[event.action] ?? event.action} {event.outcome !== 'SUCCESS' ? <span className="badge badge-bad">failed</span> : null}
                  {details ? <span className="muted block">{details}</span> : null}
                </td>
                <td>{event.actor?.email ?? 'system'}</td>
                <td>{event.provider ? providerLabel(event.provider) : '—'}</td>
                {showWorkspace ? <td>{event.workspaceId ? (event.workspaceName ?? 'deleted workspace') : 'Platform'}</td> : null}
                <td>{event.fingerprint ? <code>{event.fingerprint}</code> : '—'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
