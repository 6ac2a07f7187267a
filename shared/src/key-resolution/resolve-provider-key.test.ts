import {
  describeKeyResolution,
  isWorkspaceKeyActive,
  keyResolutionFromReport,
  resolveProviderKey,
  type KeyResolution,
  type KeyResolutionInput,
} from './resolve-provider-key.js';

// All 8 combinations of the three inputs, each with its exact expected resolution.
const cases: Array<[KeyResolutionInput, KeyResolution]> = [
  [{ byokEnabled: true, hasWorkspaceKey: true, hasGlobalKey: true }, { source: 'WORKSPACE' }],
  [{ byokEnabled: true, hasWorkspaceKey: true, hasGlobalKey: false }, { source: 'WORKSPACE' }],
  [
    { byokEnabled: true, hasWorkspaceKey: false, hasGlobalKey: true },
    { source: 'GLOBAL', reason: 'NO_WORKSPACE_KEY' },
  ],
  [
    { byokEnabled: true, hasWorkspaceKey: false, hasGlobalKey: false },
    { source: 'NONE', reason: 'NO_KEY_CONFIGURED' },
  ],
  [
    { byokEnabled: false, hasWorkspaceKey: true, hasGlobalKey: true },
    { source: 'GLOBAL', reason: 'BYOK_DISABLED' },
  ],
  [
    { byokEnabled: false, hasWorkspaceKey: true, hasGlobalKey: false },
    { source: 'NONE', reason: 'BYOK_DISABLED_AND_NO_GLOBAL_KEY' },
  ],
  [
    { byokEnabled: false, hasWorkspaceKey: false, hasGlobalKey: true },
    { source: 'GLOBAL', reason: 'BYOK_DISABLED' },
  ],
  [
    { byokEnabled: false, hasWorkspaceKey: false, hasGlobalKey: false },
    { source: 'NONE', reason: 'BYOK_DISABLED_AND_NO_GLOBAL_KEY' },
  ],
];

describe('resolveProviderKey', () => {
  it('covers every input combination exactly once', () => {
    const keys = new Set(cases.map(([input]) => JSON.stringify(input)));
    expect(keys.size).toBe(8);
  });

  it.each(cases)('%j resolves to %j', (input, expected) => {
    expect(resolveProviderKey(input)).toEqual(expected);
  });

  it.each(cases)('keyResolutionFromReport rebuilds %j from what the API reports', (input, expected) => {
    const reason = 'reason' in expected ? expected.reason : null;
    expect(keyResolutionFromReport({ source: expected.source, sourceReason: reason, byokEnabled: input.byokEnabled })).toEqual(expected);
    // Without the reason (an older server), the BYOK switch alone decides it.
    expect(keyResolutionFromReport({ source: expected.source, sourceReason: null, byokEnabled: input.byokEnabled })).toEqual(expected);
  });

  it.each(cases)('isWorkspaceKeyActive agrees with the resolution for %j', (input, expected) => {
    expect(isWorkspaceKeyActive(input)).toBe(expected.source === 'WORKSPACE');
  });
});

describe('describeKeyResolution', () => {
  it.each<[KeyResolution, string]>([
    [{ source: 'WORKSPACE' }, "Using this workspace's own OpenAI key"],
    [{ source: 'GLOBAL', reason: 'BYOK_DISABLED' }, "Using the platform's OpenAI key"],
    [{ source: 'GLOBAL', reason: 'NO_WORKSPACE_KEY' }, "Using the platform's OpenAI key"],
    [{ source: 'NONE', reason: 'BYOK_DISABLED_AND_NO_GLOBAL_KEY' }, 'No OpenAI key is configured — ask a platform admin'],
    [{ source: 'NONE', reason: 'NO_KEY_CONFIGURED' }, "No OpenAI key is configured — add this workspace's own key or ask a platform admin"],
  ])('%j reads "%s"', (resolution, expected) => {
    expect(describeKeyResolution(resolution, 'OpenAI')).toBe(expected);
  });
});
