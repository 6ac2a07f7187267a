import { keyHealthProblem, type KeyHealthInput } from '@byok/shared';
import { Link } from 'react-router';
import { useReader } from '../lib/reader';

/**
 * A broken key (rejected, or none at all) in error style, worded for the reader: the owner gets "you" and a link
 * to API keys, a member the owner's name, an admin the place to fix the platform key. Renders nothing when healthy.
 */
export function KeyHealthNotice({ entry }: { entry: KeyHealthInput }) {
  const context = useReader();
  const problem = keyHealthProblem(entry, context?.reader ?? { role: 'MEMBER', ownerName: null });
  if (!problem) return null;
  const link = problem.hint.link === 'API_KEYS' ? context?.apiKeysPath : problem.hint.link === 'INTEGRATIONS' ? '/admin/integrations' : null;
  return (
    <div className="notice notice-error" role="alert" data-testid="key-health" data-key-health={entry.sourceKeyStatus ?? 'NONE'}>
      <p className="notice-title">{problem.title}</p>
      <p>{problem.detail}</p>
      <p className="notice-hint" data-testid="who-can-fix">
        {problem.hint.text}
        {link ? (
          <>
            {' '}
            <Link to={link}>{problem.hint.link === 'API_KEYS' ? 'Open API keys' : 'Open Integrations'}</Link>
          </>
        ) : null}
      </p>
    </div>
  );
}
