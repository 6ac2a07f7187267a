import { useQuery } from '@apollo/client/react';
import { formatMicroUsd, getProvider, isProviderId, keyHealthProblem, PROVIDER_IDS, type ProviderId } from '@byok/shared';
import { useId, useState, type FormEvent } from 'react';
import { KeyHealthNotice } from '../../../components/key-health-notice';
import { ErrorNotice, InfoNotice } from '../../../components/notice';
import { useReader } from '../../../lib/reader';
import { PageHeader } from '../../../components/page-header';
import { WorkspaceProvidersDocument } from '../../../generated/graphql';
import { formatNumber } from '../../../lib/format';
import { asProvider, describeSource } from '../../../lib/providers';
import { useCurrentWorkspace } from '../../workspaces/hooks/use-current-workspace';
import { PaidByBadge } from '../components/paid-by-badge';
import { useCompletionStream } from '../hooks/use-completion-stream';

const PROMPT_MAX = 8000;

export function PlaygroundPage() {
  const { workspace } = useCurrentWorkspace();
  const ids = { provider: useId(), model: useId(), prompt: useId(), answer: useId() };
  const [providerId, setProviderId] = useState<ProviderId>(PROVIDER_IDS[0]);
  const [model, setModel] = useState<string>(getProvider(PROVIDER_IDS[0]).models[0]);
  const [prompt, setPrompt] = useState('');
  const [promptError, setPromptError] = useState<string | null>(null);
  const { state, send, stop } = useCompletionStream();
  const providers = useQuery(WorkspaceProvidersDocument, { variables: { id: workspace.id }, errorPolicy: 'all' });
  const entry = providers.data?.workspace?.providers.find((item) => item.provider === providerId);
  const definition = getProvider(providerId);
  const readerOrMember = useReader()?.reader ?? { role: 'MEMBER' as const, ownerName: null };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (prompt.trim() === '') {
      setPromptError('Write a prompt first.');
      return;
    }
    setPromptError(null);
    await send({ workspaceId: workspace.id, provider: asProvider(providerId), model, prompt });
    // The source may have changed (e.g. a rejected key is now marked invalid): show what is true now.
    void providers.refetch();
  };

  const streaming = state.status === 'streaming';
  const text = state.status === 'idle' ? '' : state.text;

  return (
    <>
      <PageHeader title="Playground" description={`Send a prompt with ${workspace.name}'s settings and see which key pays for it.`} />
      <form className="card form" onSubmit={submit} noValidate>
        <div className="form-row">
          <div className="field">
            <label htmlFor={ids.provider}>Provider</label>
            <select
              id={ids.provider}
              className="select"
              value={providerId}
              onChange={(event) => {
                const next = PROVIDER_IDS.find((id) => id === event.target.value) ?? PROVIDER_IDS[0];
                setProviderId(next);
                setModel(getProvider(next).models[0]);
              }}
            >
              {PROVIDER_IDS.map((id) => (
                <option key={id} value={id}>
                  {getProvider(id).label}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={ids.model}>Model</label>
            <select id={ids.model} className="select" value={model} onChange={(event) => setModel(event.target.value)}>
              {definition.models.map((item) => (
                <option key={item} value={item}>
                  {item}
                </option>
              ))}
            </select>
          </div>
        </div>
        {entry && isProviderId(entry.provider) && keyHealthProblem({ ...entry, provider: entry.provider }, readerOrMember) ? (
          <KeyHealthNotice entry={{ ...entry, provider: providerId }} />
        ) : entry ? (
          <p className="muted" data-testid="expected-source">
            <PaidByBadge source={entry.source} prefix="Will be paid by" /> {describeSource(entry)}.
          </p>
        ) : null}
        <div className="field">
          <label htmlFor={ids.prompt}>Prompt</label>
          <textarea
            id={ids.prompt}
            className="textarea"
            rows={5}
            value={prompt}
            maxLength={PROMPT_MAX}
            onChange={(event) => setPrompt(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === 'Enter' && (event.metaKey || event.ctrlKey)) event.currentTarget.form?.requestSubmit();
            }}
            aria-invalid={promptError ? true : undefined}
            aria-describedby={`${ids.prompt}-hint`}
          />
          <p id={`${ids.prompt}-hint`} className={promptError ? 'field-error' : 'field-hint'}>
            {promptError ?? 'Ctrl+Enter sends.'}
          </p>
        </div>
        <div className="button-row">
          <button type="submit" className="button button-primary" disabled={streaming}>
            {streaming ? 'Answering…' : 'Send'}
          </button>
          {streaming ? (
            <button type="button" className="button" onClick={stop}>
              Stop
            </button>
          ) : null}
        </div>
      </form>

      {state.status !== 'idle' ? (
        <section className="card" aria-labelledby={ids.answer}>
          <div className="card-header">
            <h2 id={ids.answer} className="card-title">
              Answer
            </h2>
            {state.status === 'done' ? <PaidByBadge source={state.result.keySource} /> : null}
          </div>
          {text || streaming ? (
            <div className="answer" aria-live="polite" aria-busy={streaming} data-testid="answer">
              {text || <span className="muted">Waiting for the first words…</span>}
              {streaming ? <span className="cursor" aria-hidden="true" /> : null}
            </div>
          ) : null}
          {state.status === 'done' ? (
            <p className="muted answer-meta" data-testid="answer-meta">
              {state.result.model} · {formatNumber(state.result.inputTokens)} tokens in, {formatNumber(state.result.outputTokens)} out · about{' '}
              {formatMicroUsd(state.result.costMicroUsd)} · {formatNumber(state.result.latencyMs)} ms
            </p>
          ) : null}
          {state.status === 'stopped' ? <InfoNotice>Stopped. The provider was told to stop generating.</InfoNotice> : null}
          {state.status === 'error' ? <ErrorNotice display={state.error} /> : null}
        </section>
      ) : null}
    </>
  );
}
