import { randomBytes, randomUUID } from 'node:crypto';
import { SecretBox, SecretBoxError, type SecretContext } from './secret-box';

// Defence by defence (issue #12, R9): the associated data binds a ciphertext to scope, workspace and provider.
// Each case changes exactly one of them and nothing else, so each fails only if that one field is bound.

const box = new SecretBox([randomBytes(32)]);
const workspaceId = randomUUID();
const sealedUnder: SecretContext = { scope: 'WORKSPACE', workspaceId, provider: 'OPENAI' };
const secret = 'sk-proj-secret-box-unit-test-0123456789';
const { ciphertext } = box.seal(secret, sealedUnder);

describe('SecretBox: a ciphertext opens only in the context it was sealed in', () => {
  it('opens in its own context (the same workspace id in any letter case)', () => {
    expect(box.open(ciphertext, sealedUnder)).toBe(secret);
    expect(box.open(ciphertext, { ...sealedUnder, workspaceId: workspaceId.toUpperCase() })).toBe(secret);
  });

  it.each<[string, SecretContext]>([
    ['only the workspace id differs', { ...sealedUnder, workspaceId: randomUUID() }],
    ['only the scope differs', { ...sealedUnder, scope: 'GLOBAL' }],
    ['only the provider differs', { ...sealedUnder, provider: 'ANTHROPIC' }],
  ])('throws when %s', (_case, context) => {
    expect(() => box.open(ciphertext, context)).toThrow(SecretBoxError);
    expect(() => box.open(ciphertext, context)).toThrow(/integrity check/);
  });

  it('a global key (no workspace) does not open as any workspace’s, nor the other way round', () => {
    const global: SecretContext = { scope: 'GLOBAL', workspaceId: null, provider: 'OPENAI' };
    const sealedGlobal = box.seal(secret, global).ciphertext;
    expect(() => box.open(sealedGlobal, { ...global, workspaceId })).toThrow(SecretBoxError);
    expect(() => box.open(ciphertext, { ...sealedUnder, workspaceId: null })).toThrow(SecretBoxError);
  });

  it('a box without the sealing key refuses, naming the missing key id (never the secret)', () => {
    const other = new SecretBox([randomBytes(32)]);
    expect(() => other.open(ciphertext, sealedUnder)).toThrow(/not configured/);
  });
});
