import * as policies from './policies';
import type { WorkspaceRole } from '@byok/shared';
import type { Viewer } from './viewer';

const user = (isAdmin = false): Viewer => ({
  userId: 'u',
  email: 'u@example.com',
  isAdmin,
  via: 'SESSION',
  sessionId: 's',
  apiTokenId: null,
  apiTokenWorkspaceId: null,
});

type Row = [name: string, viewer: Viewer | null, role: WorkspaceRole | null];
const rows: Row[] = [
  ['owner', user(), 'OWNER'],
  ['member', user(), 'MEMBER'],
  ['admin (not a member)', user(true), null],
  ['outsider', user(), null],
  ['anonymous', null, null],
];

const expected: Record<string, Record<string, boolean>> = {
  canReadWorkspace: { owner: true, member: true, 'admin (not a member)': true, outsider: false, anonymous: false },
  canSeeKeySource: { owner: true, member: true, 'admin (not a member)': true, outsider: false, anonymous: false },
  canSeeCustomKey: { owner: true, member: false, 'admin (not a member)': true, outsider: false, anonymous: false },
  canManageWorkspaceKeys: { owner: true, member: false, 'admin (not a member)': false, outsider: false, anonymous: false },
  canVerifyWorkspaceKey: { owner: true, member: false, 'admin (not a member)': true, outsider: false, anonymous: false },
  canManageMembers: { owner: true, member: false, 'admin (not a member)': false, outsider: false, anonymous: false },
  canSeeWorkspaceUsage: { owner: true, member: false, 'admin (not a member)': true, outsider: false, anonymous: false },
  canSeeWorkspaceAudit: { owner: true, member: false, 'admin (not a member)': true, outsider: false, anonymous: false },
  canUseWorkspaceAi: { owner: true, member: true, 'admin (not a member)': false, outsider: false, anonymous: false },
};

describe('workspace policies', () => {
  for (const [policy, outcomes] of Object.entries(expected)) {
    for (const [name, viewer, role] of rows) {
      it(`${policy}: ${name} → ${outcomes[name]}`, () => {
        const fn = policies[policy as keyof typeof policies] as (v: Viewer | null, r: WorkspaceRole | null) => boolean;
        expect(fn(viewer, role)).toBe(outcomes[name]);
      });
    }
  }
  it('isPlatformAdmin', () => {
    expect(policies.isPlatformAdmin(user(true))).toBe(true);
    expect(policies.isPlatformAdmin(user(false))).toBe(false);
    expect(policies.isPlatformAdmin(null)).toBe(false);
  });
});
