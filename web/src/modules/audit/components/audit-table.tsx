import { auditActionLabel } from '@byok/shared';
import { EmptyState } from '../../../components/notice';
import type { AuditEventFieldsFragment } from '../../../generated/graphql';
import { formatDateTime } from '../../../lib/format';
import { providerLabel } from '../../../lib/providers';

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
                  {auditActionLabel(event.action)} {event.outcome !== 'SUCCESS' ? <span className="badge badge-bad">failed</span> : null}
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
