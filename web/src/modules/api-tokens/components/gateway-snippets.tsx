import { CopyButton } from '../../../components/copy-button';
import { sdkSnippets } from '../lib/sdk-snippets';

/** The OpenAI and Anthropic SDK snippets for this server, each with its own copy button. */
export function GatewaySnippets({ token, headerWorkspaceId }: { token: string | null; headerWorkspaceId: string | null }) {
  const snippets = sdkSnippets({ origin: window.location.origin, token, headerWorkspaceId });
  return (
    <div className="snippets" data-testid="gateway-snippets">
      {snippets.map((snippet) => (
        <figure key={snippet.sdk} className="snippet" data-sdk={snippet.sdk}>
          <figcaption className="snippet-caption">
            <span>{snippet.sdk} SDK</span>
            <CopyButton value={snippet.code} label={`Copy ${snippet.sdk} snippet`} />
          </figcaption>
          <pre className="snippet-code">
            <code>{snippet.code}</code>
          </pre>
        </figure>
      ))}
    </div>
  );
}
