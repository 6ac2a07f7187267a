import type { IntegrationChangePreviewQuery } from '../../../generated/graphql';
import { plural } from '../../../lib/format';

type Preview = IntegrationChangePreviewQuery['integrationChangePreview'];

const NAMES_SHOWN = 10;

/** Per outcome, how many workspaces (and which) a change moves, from the server's preview. */
export function ChangePreviewSummary({ preview, providerLabel }: { preview: Preview; providerLabel: string }) {
  const groups = [
    {
      outcome: 'WORKING_PLATFORM_KEY',
      count: preview.toWorkingPlatformKey,
      text: `${plural(preview.toWorkingPlatformKey, 'workspace')} will move to the platform's key.${
        preview.platformKeyStatusAfter === 'UNVERIFIED' ? ' It has not been verified yet.' : ''
      }`,
      tone: '',
    },
    {
      outcome: 'REJECTED_PLATFORM_KEY',
      count: preview.toRejectedPlatformKey,
      text: `${plural(preview.toRejectedPlatformKey, 'workspace')} will move to the platform's key, which ${providerLabel} rejected: their requests will fail.`,
      tone: 'text-bad',
    },
    {
      outcome: 'NO_KEY',
      count: preview.toNoKey,
      text: `${plural(preview.toNoKey, 'workspace')} will be left with no ${providerLabel} key: their requests will fail.`,
      tone: 'text-bad',
    },
    { outcome: 'OWN_KEY', count: preview.toOwnKey, text: `${plural(preview.toOwnKey, 'workspace')} will use its own key.`, tone: '' },
  ].filter((group) => group.count > 0);
  if (groups.length === 0) {
    return (
      <p className="strong" data-testid="impact-count">
        No workspace changes key.
      </p>
    );
  }
  return (
    <div className="impact-list" data-testid="impact">
      {groups.map((group, index) => {
        const names = preview.workspaces.filter((workspace) => workspace.outcome === group.outcome);
        return (
          <div key={group.outcome} data-outcome={group.outcome}>
            <p className={`strong ${group.tone}`} data-testid={index === 0 ? 'impact-count' : undefined}>
              {group.text}
            </p>
            {names.length > 0 ? (
              <p className="muted" data-testid="impact-workspaces">
                {names
                  .slice(0, NAMES_SHOWN)
                  .map((workspace) => workspace.name)
                  .join(', ')}
                {group.count > Math.min(names.length, NAMES_SHOWN) ? ` and ${String(group.count - Math.min(names.length, NAMES_SHOWN))} more` : ''}
              </p>
            ) : null}
          </div>
        );
      })}
    </div>
  );
}

/** What the save did, in plain words, from the preview confirmed before it. */
export function describeAppliedChange(preview: Preview, providerLabel: string): { done: string; broken: string | null } {
  const parts: string[] = [];
  if (preview.toWorkingPlatformKey > 0) parts.push(`${plural(preview.toWorkingPlatformKey, 'workspace now uses', 'workspaces now use')} the platform's key.`);
  if (preview.toOwnKey > 0) parts.push(`${plural(preview.toOwnKey, 'workspace now uses its', 'workspaces now use their')} own key.`);
  if (preview.workspacesMoving === 0) parts.push('No workspace changed key.');
  const failing: string[] = [];
  if (preview.toRejectedPlatformKey > 0)
    failing.push(`${plural(preview.toRejectedPlatformKey, 'workspace')} moved to a platform key that ${providerLabel} rejects`);
  if (preview.toNoKey > 0) failing.push(`${plural(preview.toNoKey, 'workspace now has', 'workspaces now have')} no ${providerLabel} key`);
  return {
    done: parts.join(' '),
    broken: failing.length > 0 ? `${failing.join(', and ')}: their ${providerLabel} requests fail until a working key is added.` : null,
  };
}
