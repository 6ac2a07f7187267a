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

const apiToken = (isAdmin: boolean, boundTo: string | null): Viewer => ({
  ...user(isAdmin),
  via: 'API_TOKEN',
  sessionId: null,
  apiTokenId: 't',
  apiTokenWorkspaceId: boundTo,
});

// `role` is what WorkspacesService.roleOf answers: null outside a bound token's workspace (see reachesWorkspace).
type Row = [name: string, viewer: Viewer | null, role: WorkspaceRole | null];
const rows: Row[] = [
  ['owner', user(), 'OWNER'],
  ['member', user(), 'MEMBER'],
  ['admin (not a member)', user(true), null],
  ['outsider', user(), null],
  ['anonymous', null, null],
  ["admin's unbound API token (not a member)", apiToken(true, null), null],
  ["admin's API token bound here (a member)", apiToken(true, 'w'), 'MEMBER'],
  ["admin's API token bound elsewhere", apiToken(true, 'other'), null],
  ["owner's API token bound here", apiToken(false, 'w'), 'OWNER'],
];

const expected: Record<string, Record<string, boolean>> = {
  canReadWorkspace: {
    owner: true,
    member: true,
    'admin (not a member)': true,
    outsider: false,
    anonymous: false,
    "admin's unbound API token (not a member)": true,
    "admin's API token bound here (a member)": true,
    "admin's API token bound elsewhere": false,
    "owner's API token bound here": true,
  },
  canSeeKeySource: {
    owner: true,
    member: true,
    'admin (not a member)': true,
    outsider: false,
    anonymous: false,
    "admin's unbound API token (not a member)": true,
    "admin's API token bound here (a member)": true,
    "admin's API token bound elsewhere": false,
    "owner's API token bound here": true,
  },
  canSeeCustomKey: {
    owner: true,
    member: false,
    'admin (not a member)': true,
    outsider: false,
    anonymous: false,
    "admin's unbound API token (not a member)": true,
    "admin's API token bound here (a member)": false,
    "admin's API token bound elsewhere": false,
    "owner's API token bound here": true,
  },
  canManageWorkspaceKeys: {
    owner: true,
    member: false,
    'admin (not a member)': false,
    outsider: false,
    anonymous: false,
    "admin's unbound API token (not a member)": false,
    "admin's API token bound here (a member)": false,
    "admin's API token bound elsewhere": false,
    "owner's API token bound here": true,
  },
  canVerifyWorkspaceKey: {
    owner: true,
    member: false,
    'admin (not a member)': true,
    outsider: false,
    anonymous: false,
    "admin's unbound API token (not a member)": true,
    "admin's API token bound here (a member)": false,
    "admin's API token bound elsewhere": false,
    "owner's API token bound here": true,
  },
  canManageMembers: {
    owner: true,
    member: false,
    'admin (not a member)': false,
    outsider: false,
    anonymous: false,
    "admin's unbound API token (not a member)": false,
    "admin's API token bound here (a member)": false,
    "admin's API token bound elsewhere": false,
    "owner's API token bound here": true,
  },
  canSeeWorkspaceUsage: {
    owner: true,
    member: false,
    'admin (not a member)': true,
    outsider: false,
    anonymous: false,
    "admin's unbound API token (not a member)": true,
    "admin's API token bound here (a member)": false,
    "admin's API token bound elsewhere": false,
    "owner's API token bound here": true,
  },
  canSeeWorkspaceAudit: {
    owner: true,
    member: false,
    'admin (not a member)': true,
    outsider: false,
    anonymous: false,
    "admin's unbound API token (not a member)": true,
    "admin's API token bound here (a member)": false,
    "admin's API token bound elsewhere": false,
    "owner's API token bound here": true,
  },
  canUseWorkspaceAi: {
    owner: true,
    member: true,
    'admin (not a member)': false,
    outsider: false,
    anonymous: false,
    "admin's unbound API token (not a member)": false,
    "admin's API token bound here (a member)": true,
    "admin's API token bound elsewhere": false,
    "owner's API token bound here": true,
  },
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
  it('isPlatformAdmin: sessions and unbound API tokens of admins; never a workspace-bound token', () => {
    expect(policies.isPlatformAdmin(user(true))).toBe(true);
    expect(policies.isPlatformAdmin(user(false))).toBe(false);
    expect(policies.isPlatformAdmin(null)).toBe(false);
    expect(policies.isPlatformAdmin(apiToken(true, null))).toBe(true);
    expect(policies.isPlatformAdmin(apiToken(true, 'w'))).toBe(false);
  });
  it('reachesWorkspace: a bound token reaches its own workspace only (any letter case); others reach all', () => {
    const bound = 'aaaaaaaa-0000-4000-8000-00000000000a';
    expect(policies.reachesWorkspace(apiToken(false, bound), bound)).toBe(true);
    expect(policies.reachesWorkspace(apiToken(false, bound), bound.toUpperCase())).toBe(true);
    expect(policies.reachesWorkspace(apiToken(false, bound), 'bbbbbbbb-0000-4000-8000-00000000000b')).toBe(false);
    expect(policies.reachesWorkspace(apiToken(true, null), bound)).toBe(true);
    expect(policies.reachesWorkspace(user(), bound)).toBe(true);
  });
  it('mayCallMutation: API tokens only the allow-list; sessions and anonymous callers are not limited here', () => {
    expect([...policies.API_TOKEN_MUTATIONS].sort()).toEqual(['complete', 'signOut']);
    for (const viewer of [apiToken(false, null), apiToken(true, null), apiToken(true, 'w')]) {
      expect(policies.mayCallMutation(viewer, 'complete')).toBe(true);
      expect(policies.mayCallMutation(viewer, 'signOut')).toBe(true);
      expect(policies.mayCallMutation(viewer, 'createApiToken')).toBe(false);
      expect(policies.mayCallMutation(viewer, 'aMutationAddedLater')).toBe(false);
    }
    expect(policies.mayCallMutation(user(true), 'createWebhook')).toBe(true);
    expect(policies.mayCallMutation(null, 'signIn')).toBe(true);
  });
});
