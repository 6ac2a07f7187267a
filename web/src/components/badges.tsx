import type { KeySource, KeyStatus } from '../generated/graphql';

const STATUS_TEXT: Record<KeyStatus, { label: string; tone: string }> = {
  VALID: { label: 'Valid', tone: 'good' },
  INVALID: { label: 'Rejected', tone: 'bad' },
  UNVERIFIED: { label: 'Not verified', tone: 'warn' },
  // KEY_UNREADABLE: the server cannot decrypt it; the fix (set it again) is in the key's notice.
  UNREADABLE: { label: "Can't be read — set it again", tone: 'bad' },
};

/** A stored key's state: verified/rejected/unverified, or inactive while BYOK is off for its provider. */
export function KeyStatusBadge({ status, active = true }: { status: KeyStatus; active?: boolean }) {
  const { label, tone } = STATUS_TEXT[status];
  return (
    <span className="badge-group">
      <span className={`badge badge-${tone}`} data-key-status={status}>
        {label}
      </span>
      {active ? null : (
        <span className="badge badge-muted" data-key-active="false">
          Inactive
        </span>
      )}
    </span>
  );
}

const SOURCE_TEXT: Record<KeySource, { label: string; tone: string }> = {
  WORKSPACE: { label: "Workspace's own key", tone: 'accent' },
  GLOBAL: { label: "Platform's key", tone: 'neutral' },
  NONE: { label: 'No key', tone: 'bad' },
};

/** Which key an AI request would use right now; a key the provider rejected says so (and requests fail). */
export function SourceBadge({ source, status = null }: { source: KeySource; status?: KeyStatus | null }) {
  const { label, tone } = SOURCE_TEXT[source];
  const broken = (status === 'INVALID' || status === 'UNREADABLE') && source !== 'NONE' ? status : null;
  return (
    <span className={`badge badge-${broken ? 'bad' : tone}`} data-source={source} data-key-health={broken ?? undefined}>
      {broken === 'INVALID' ? `${label} — rejected` : broken === 'UNREADABLE' ? `${label} — can't be read` : label}
    </span>
  );
}
