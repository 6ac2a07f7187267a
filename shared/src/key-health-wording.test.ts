import { keyHealthProblem, type KeyHealthInput } from './key-health-wording.js';
import type { Reader } from './role-wording.js';

const owner: Reader = { role: 'OWNER', ownerName: 'Olivia Owner' };
const member: Reader = { role: 'MEMBER', ownerName: 'Olivia Owner' };
const admin: Reader = { role: 'ADMIN', ownerName: 'Olivia Owner' };
const input = (overrides: Partial<KeyHealthInput>): KeyHealthInput => ({
  provider: 'OPENAI',
  source: 'WORKSPACE',
  sourceKeyStatus: 'VALID',
  byokEnabled: true,
  ...overrides,
});

describe('keyHealthProblem', () => {
  it('says nothing while the key in use works or is not checked yet', () => {
    expect(keyHealthProblem(input({}), owner)).toBeNull();
    expect(keyHealthProblem(input({ source: 'GLOBAL', sourceKeyStatus: 'UNVERIFIED' }), member)).toBeNull();
  });

  it('a rejected workspace key: the owner replaces it (link), a member asks the owner by name, an admin is told only the owner can', () => {
    const rejected = input({ sourceKeyStatus: 'INVALID' });
    expect(keyHealthProblem(rejected, owner)).toMatchObject({ title: "OpenAI rejected this workspace's key", hint: { link: 'API_KEYS' } });
    expect(keyHealthProblem(rejected, member)?.hint).toEqual({ text: 'Ask Olivia Owner to replace it.', link: null });
    expect(keyHealthProblem(rejected, admin)?.hint.text).toBe("Only the workspace's owner (Olivia Owner) can replace it.");
  });

  it("a rejected platform key: admins go to Integrations; an owner may also add the workspace's own key while BYOK is on", () => {
    const rejected = input({ source: 'GLOBAL', sourceKeyStatus: 'INVALID' });
    expect(keyHealthProblem(rejected, admin)?.hint).toEqual({ text: 'Replace it in Integrations.', link: 'INTEGRATIONS' });
    expect(keyHealthProblem(rejected, owner)?.hint.link).toBe('API_KEYS');
    expect(keyHealthProblem({ ...rejected, byokEnabled: false }, owner)?.hint).toEqual({ text: 'Ask a platform admin to replace it.', link: null });
    expect(keyHealthProblem(rejected, member)?.hint).toEqual({ text: 'Ask a platform admin to replace it.', link: null });
  });

  it('an unreadable key (KEY_UNREADABLE): whoever can set it again is sent there; others are told whom to ask', () => {
    const workspace = input({ sourceKeyStatus: 'UNREADABLE' });
    expect(keyHealthProblem(workspace, owner)).toMatchObject({ title: "This workspace's OpenAI key can't be read", hint: { link: 'API_KEYS' } });
    expect(keyHealthProblem(workspace, owner)?.hint.text).toBe('Set the key again on the API keys page.');
    expect(keyHealthProblem(workspace, member)?.hint).toEqual({ text: 'Ask Olivia Owner to set the key again.', link: null });
    expect(keyHealthProblem(workspace, admin)?.hint.link).toBeNull();
    const platform = input({ source: 'GLOBAL', sourceKeyStatus: 'UNREADABLE' });
    expect(keyHealthProblem(platform, admin)?.hint).toEqual({ text: 'Set the key again in Integrations.', link: 'INTEGRATIONS' });
    expect(keyHealthProblem(platform, member)?.hint).toEqual({ text: 'Ask a platform admin to set it again.', link: null });
  });

  it('no key: members are never told to add a key themselves', () => {
    const none = input({ source: 'NONE', sourceKeyStatus: null });
    expect(keyHealthProblem(none, member)?.hint.text).toBe("Ask Olivia Owner to add this workspace's own key, or a platform admin to add one.");
    expect(keyHealthProblem({ ...none, byokEnabled: false }, member)?.hint.text).toBe('Ask a platform admin to add a platform key.');
    expect(keyHealthProblem(none, owner)?.hint.link).toBe('API_KEYS');
    for (const reader of [member]) {
      for (const byokEnabled of [true, false]) {
        expect(keyHealthProblem({ ...none, byokEnabled }, reader)?.hint.text).toMatch(/^Ask /);
      }
    }
  });

  it('never repeats the title in the detail or the hint', () => {
    for (const reader of [owner, member, admin]) {
      for (const candidate of [
        input({ sourceKeyStatus: 'INVALID' }),
        input({ source: 'GLOBAL', sourceKeyStatus: 'INVALID' }),
        input({ sourceKeyStatus: 'UNREADABLE' }),
        input({ source: 'GLOBAL', sourceKeyStatus: 'UNREADABLE' }),
        input({ source: 'NONE', sourceKeyStatus: null }),
      ]) {
        const problem = keyHealthProblem(candidate, reader);
        if (!problem) throw new Error('expected a problem');
        expect(problem.detail).not.toContain(problem.title);
        expect(problem.hint.text).not.toContain(problem.title);
        expect(problem.detail).not.toBe(problem.hint.text);
      }
    }
  });
});
