import { ERROR_CODES, ERROR_EXPLANATIONS } from './errors.js';
import { fixHintFor, readerRoleOf, type Reader } from './role-wording.js';

const owner: Reader = { role: 'OWNER', ownerName: 'Olivia Owner' };
const member: Reader = { role: 'MEMBER', ownerName: 'Olivia Owner' };
const admin: Reader = { role: 'ADMIN', ownerName: 'Olivia Owner' };

describe('fixHintFor', () => {
  it('tells the owner "you" and links to API keys for what the owner fixes', () => {
    expect(fixHintFor('WORKSPACE_OWNER', owner)).toEqual({ text: 'You can fix this on the API keys page.', link: 'API_KEYS' });
  });

  it("names the owner to a member, with no link and no instruction they can't follow", () => {
    const hint = fixHintFor('WORKSPACE_OWNER', member);
    expect(hint).toEqual({ text: 'Ask Olivia Owner, who owns this workspace, to fix it.', link: null });
    expect(hint?.text).not.toMatch(/\b(add|replace|set)\b/i);
  });

  it('falls back to "the owner of this workspace" when the name is unknown', () => {
    expect(fixHintFor('WORKSPACE_OWNER', { role: 'MEMBER', ownerName: null })?.text).toBe('Ask the owner of this workspace to fix it.');
  });

  it('sends owners and members to a platform admin, and admins to Integrations', () => {
    expect(fixHintFor('PLATFORM_ADMIN', owner)).toEqual({ text: 'Ask a platform admin to fix it.', link: null });
    expect(fixHintFor('PLATFORM_ADMIN', member)).toEqual({ text: 'Ask a platform admin to fix it.', link: null });
    expect(fixHintFor('PLATFORM_ADMIN', admin)).toEqual({ text: 'You can fix this in Integrations.', link: 'INTEGRATIONS' });
  });

  it("tells an admin looking into a workspace that only its owner can fix the owner's key", () => {
    expect(fixHintFor('WORKSPACE_OWNER', admin)?.text).toBe("Only the workspace's owner (Olivia Owner) can fix this.");
  });

  it('never links a member anywhere, for any error', () => {
    for (const code of Object.values(ERROR_CODES)) {
      expect(fixHintFor(ERROR_EXPLANATIONS[code].whoCanFix, member)?.link ?? null).toBeNull();
    }
  });

  it('never repeats the title of the error it explains', () => {
    for (const code of Object.values(ERROR_CODES)) {
      for (const reader of [owner, member, admin]) {
        const hint = fixHintFor(ERROR_EXPLANATIONS[code].whoCanFix, reader);
        if (hint) expect(hint.text.toLowerCase()).not.toContain(ERROR_EXPLANATIONS[code].title.toLowerCase());
      }
    }
  });
});

describe('readerRoleOf', () => {
  it.each([
    ['OWNER', false, 'OWNER'],
    ['MEMBER', true, 'MEMBER'],
    [null, true, 'ADMIN'],
    [null, false, 'MEMBER'],
  ] as const)('%s (admin: %s) → %s', (role, isAdmin, expected) => {
    expect(readerRoleOf(role, isAdmin)).toBe(expected);
  });
});
