import { KeyStatusBadge } from '../../../components/badges';
import type { StoredKeyFieldsFragment } from '../../../generated/graphql';
import { formatDateTime } from '../../../lib/format';

/** What may be shown of a stored key: its mask and fingerprint, never the key (R5). */
export function StoredKeyFacts({ storedKey }: { storedKey: StoredKeyFieldsFragment }) {
  return (
    <dl className="facts">
      <div>
        <dt>Key</dt>
        <dd>
          <code data-testid="key-mask">{storedKey.masked}</code> <span className="muted">fingerprint {storedKey.fingerprint}</span>
        </dd>
      </div>
      <div>
        <dt>Status</dt>
        <dd>
          <KeyStatusBadge status={storedKey.status} active={storedKey.active} />
        </dd>
      </div>
      <div>
        <dt>Last verified</dt>
        <dd>{storedKey.lastVerifiedAt ? formatDateTime(storedKey.lastVerifiedAt) : 'Never'}</dd>
      </div>
      <div>
        <dt>Updated</dt>
        <dd>{formatDateTime(storedKey.updatedAt)}</dd>
      </div>
      {storedKey.lastError ? (
        <div>
          <dt>Last error</dt>
          <dd className="text-bad">{storedKey.lastError}</dd>
        </div>
      ) : null}
    </dl>
  );
}
