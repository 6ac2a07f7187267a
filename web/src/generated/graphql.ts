/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
export type AuditOutcome = 'FAILURE' | 'SUCCESS';

/** Where a key in effect comes from: saved through the API, or a global key from the server environment */
export type KeyOrigin = 'ENVIRONMENT' | 'STORED';

/** Which key an AI request uses: the workspace’s own, the platform’s, or none */
export type KeySource = 'GLOBAL' | 'NONE' | 'WORKSPACE';

/** Why a workspace does not use its own key (see describeKeyResolution in shared) */
export type KeySourceReason = 'BYOK_DISABLED' | 'BYOK_DISABLED_AND_NO_GLOBAL_KEY' | 'NO_KEY_CONFIGURED' | 'NO_WORKSPACE_KEY';

export type KeyStatus = 'INVALID' | 'UNVERIFIED' | 'VALID';

/** Where a workspace's requests go after a change: its own key, a working platform key, a rejected platform key, or no key */
export type MoveOutcome = 'NO_KEY' | 'OWN_KEY' | 'REJECTED_PLATFORM_KEY' | 'WORKING_PLATFORM_KEY';

/** An AI provider */
export type Provider = 'ANTHROPIC' | 'OPENAI';

export type WorkspaceRole = 'MEMBER' | 'OWNER';

export type AdminWorkspaceQueryVariables = Exact<{
  id: string;
}>;

export type AdminWorkspaceQuery = {
  __typename: 'Query';
  workspace: {
    __typename: 'Workspace';
    id: string;
    name: string;
    createdAt: string;
    members: Array<{ __typename: 'Membership'; role: WorkspaceRole; user: { __typename: 'User'; id: string; email: string; name: string } }>;
    providers: Array<{
      __typename: 'WorkspaceProvider';
      workspaceId: string;
      provider: Provider;
      byokEnabled: boolean;
      source: KeySource;
      sourceReason: KeySourceReason | null;
      sourceKeyStatus: KeyStatus | null;
      customKey: {
        __typename: 'StoredKey';
        masked: string;
        fingerprint: string;
        status: KeyStatus;
        active: boolean;
        lastVerifiedAt: string | null;
        lastError: string | null;
        updatedAt: string;
      } | null;
    }>;
  } | null;
};

export type AdminWorkspacesQueryVariables = Exact<{
  search?: string | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;

export type AdminWorkspacesQuery = {
  __typename: 'Query';
  adminWorkspaces: {
    __typename: 'WorkspaceConnection';
    totalCount: number;
    edges: Array<{
      __typename: 'WorkspaceEdge';
      cursor: string;
      node: {
        __typename: 'Workspace';
        id: string;
        name: string;
        createdAt: string;
        providers: Array<{
          __typename: 'WorkspaceProvider';
          workspaceId: string;
          provider: Provider;
          byokEnabled: boolean;
          source: KeySource;
          sourceReason: KeySourceReason | null;
          sourceKeyStatus: KeyStatus | null;
          customKey: { __typename: 'StoredKey'; status: KeyStatus; active: boolean; lastError: string | null } | null;
        }>;
      };
    }>;
    pageInfo: { __typename: 'PageInfo'; hasNextPage: boolean; endCursor: string | null };
  };
};

export type ApiTokenFieldsFragment = {
  __typename: 'ApiToken';
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
};

export type ApiTokensQueryVariables = Exact<{ [key: string]: never }>;

export type ApiTokensQuery = {
  __typename: 'Query';
  apiTokens: Array<{
    __typename: 'ApiToken';
    id: string;
    name: string;
    prefix: string;
    createdAt: string;
    lastUsedAt: string | null;
    revokedAt: string | null;
  }>;
};

export type CreateApiTokenMutationVariables = Exact<{
  name: string;
}>;

export type CreateApiTokenMutation = {
  __typename: 'Mutation';
  createApiToken: {
    __typename: 'CreatedApiToken';
    token: string;
    apiToken: { __typename: 'ApiToken'; id: string; name: string; prefix: string; createdAt: string; lastUsedAt: string | null; revokedAt: string | null };
  };
};

export type RevokeApiTokenMutationVariables = Exact<{
  id: string;
}>;

export type RevokeApiTokenMutation = { __typename: 'Mutation'; revokeApiToken: boolean };

export type AuditEventFieldsFragment = {
  __typename: 'AuditEvent';
  id: string;
  occurredAt: string;
  action: string;
  provider: Provider | null;
  workspaceId: string | null;
  workspaceName: string | null;
  targetUserEmail: string | null;
  fingerprint: string | null;
  outcome: AuditOutcome;
  details: Record<string, unknown>;
  actor: { __typename: 'AuditActor'; email: string | null } | null;
};

export type AuditEventsQueryVariables = Exact<{
  workspaceId?: string | null | undefined;
  action?: string | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;

export type AuditEventsQuery = {
  __typename: 'Query';
  auditEvents: {
    __typename: 'AuditEventConnection';
    totalCount: number;
    edges: Array<{
      __typename: 'AuditEventEdge';
      cursor: string;
      node: {
        __typename: 'AuditEvent';
        id: string;
        occurredAt: string;
        action: string;
        provider: Provider | null;
        workspaceId: string | null;
        workspaceName: string | null;
        targetUserEmail: string | null;
        fingerprint: string | null;
        outcome: AuditOutcome;
        details: Record<string, unknown>;
        actor: { __typename: 'AuditActor'; email: string | null } | null;
      };
    }>;
    pageInfo: { __typename: 'PageInfo'; hasNextPage: boolean; endCursor: string | null };
  };
};

export type MeQueryVariables = Exact<{ [key: string]: never }>;

export type MeQuery = { __typename: 'Query'; me: { __typename: 'User'; id: string; email: string; name: string; isAdmin: boolean } | null };

export type SignInMutationVariables = Exact<{
  email: string;
  password: string;
}>;

export type SignInMutation = {
  __typename: 'Mutation';
  signIn: { __typename: 'AuthPayload'; user: { __typename: 'User'; id: string; email: string; name: string; isAdmin: boolean } };
};

export type SignOutMutationVariables = Exact<{ [key: string]: never }>;

export type SignOutMutation = { __typename: 'Mutation'; signOut: boolean };

export type SignUpMutationVariables = Exact<{
  email: string;
  password: string;
  name: string;
}>;

export type SignUpMutation = {
  __typename: 'Mutation';
  signUp: { __typename: 'AuthPayload'; user: { __typename: 'User'; id: string; email: string; name: string; isAdmin: boolean } };
};

export type ViewerFieldsFragment = { __typename: 'User'; id: string; email: string; name: string; isAdmin: boolean };

export type IntegrationChangePreviewQueryVariables = Exact<{
  provider: Provider;
  byokEnabled?: boolean | null | undefined;
  clearGlobalKey?: boolean | null | undefined;
}>;

export type IntegrationChangePreviewQuery = {
  __typename: 'Query';
  integrationChangePreview: {
    __typename: 'IntegrationChangePreview';
    provider: Provider;
    byokEnabled: boolean;
    clearGlobalKey: boolean;
    platformKeyStatusAfter: KeyStatus | null;
    workspacesMoving: number;
    toOwnKey: number;
    toWorkingPlatformKey: number;
    toRejectedPlatformKey: number;
    toNoKey: number;
    workspaces: Array<{ __typename: 'IntegrationChangeWorkspace'; id: string; name: string; outcome: MoveOutcome }>;
  };
};

export type IntegrationFieldsFragment = {
  __typename: 'ProviderIntegration';
  provider: Provider;
  byokEnabled: boolean;
  workspacesWithCustomKey: number;
  environmentKeyConfigured: boolean;
  globalKey: {
    __typename: 'StoredKey';
    origin: KeyOrigin;
    masked: string;
    fingerprint: string;
    status: KeyStatus;
    active: boolean;
    lastVerifiedAt: string | null;
    lastError: string | null;
    updatedAt: string;
  } | null;
};

export type IntegrationsQueryVariables = Exact<{ [key: string]: never }>;

export type IntegrationsQuery = {
  __typename: 'Query';
  integrations: Array<{
    __typename: 'ProviderIntegration';
    provider: Provider;
    byokEnabled: boolean;
    workspacesWithCustomKey: number;
    environmentKeyConfigured: boolean;
    globalKey: {
      __typename: 'StoredKey';
      origin: KeyOrigin;
      masked: string;
      fingerprint: string;
      status: KeyStatus;
      active: boolean;
      lastVerifiedAt: string | null;
      lastError: string | null;
      updatedAt: string;
    } | null;
  }>;
};

export type UpdateIntegrationMutationVariables = Exact<{
  provider: Provider;
  byokEnabled?: boolean | null | undefined;
  globalKey?: string | null | undefined;
  clearGlobalKey?: boolean | null | undefined;
}>;

export type UpdateIntegrationMutation = {
  __typename: 'Mutation';
  updateIntegration: {
    __typename: 'ProviderIntegration';
    provider: Provider;
    byokEnabled: boolean;
    workspacesWithCustomKey: number;
    environmentKeyConfigured: boolean;
    globalKey: {
      __typename: 'StoredKey';
      origin: KeyOrigin;
      masked: string;
      fingerprint: string;
      status: KeyStatus;
      active: boolean;
      lastVerifiedAt: string | null;
      lastError: string | null;
      updatedAt: string;
    } | null;
  };
};

export type VerifyGlobalKeyMutationVariables = Exact<{
  provider: Provider;
}>;

export type VerifyGlobalKeyMutation = {
  __typename: 'Mutation';
  verifyGlobalKey: {
    __typename: 'ProviderIntegration';
    provider: Provider;
    byokEnabled: boolean;
    workspacesWithCustomKey: number;
    environmentKeyConfigured: boolean;
    globalKey: {
      __typename: 'StoredKey';
      origin: KeyOrigin;
      masked: string;
      fingerprint: string;
      status: KeyStatus;
      active: boolean;
      lastVerifiedAt: string | null;
      lastError: string | null;
      updatedAt: string;
    } | null;
  };
};

export type RemoveWorkspaceKeyMutationVariables = Exact<{
  workspaceId: string;
  provider: Provider;
}>;

export type RemoveWorkspaceKeyMutation = { __typename: 'Mutation'; removeWorkspaceKey: boolean };

export type SetWorkspaceKeyMutationVariables = Exact<{
  workspaceId: string;
  provider: Provider;
  apiKey: string;
}>;

export type SetWorkspaceKeyMutation = {
  __typename: 'Mutation';
  setWorkspaceKey: {
    __typename: 'StoredKey';
    masked: string;
    fingerprint: string;
    status: KeyStatus;
    active: boolean;
    lastVerifiedAt: string | null;
    lastError: string | null;
    updatedAt: string;
  };
};

export type StoredKeyFieldsFragment = {
  __typename: 'StoredKey';
  masked: string;
  fingerprint: string;
  status: KeyStatus;
  active: boolean;
  lastVerifiedAt: string | null;
  lastError: string | null;
  updatedAt: string;
};

export type VerifyWorkspaceKeyMutationVariables = Exact<{
  workspaceId: string;
  provider: Provider;
}>;

export type VerifyWorkspaceKeyMutation = {
  __typename: 'Mutation';
  verifyWorkspaceKey: {
    __typename: 'StoredKey';
    masked: string;
    fingerprint: string;
    status: KeyStatus;
    active: boolean;
    lastVerifiedAt: string | null;
    lastError: string | null;
    updatedAt: string;
  };
};

export type WorkspaceProviderFieldsFragment = {
  __typename: 'WorkspaceProvider';
  workspaceId: string;
  provider: Provider;
  byokEnabled: boolean;
  source: KeySource;
  sourceReason: KeySourceReason | null;
  sourceKeyStatus: KeyStatus | null;
  customKey: {
    __typename: 'StoredKey';
    masked: string;
    fingerprint: string;
    status: KeyStatus;
    active: boolean;
    lastVerifiedAt: string | null;
    lastError: string | null;
    updatedAt: string;
  } | null;
};

export type WorkspaceProvidersQueryVariables = Exact<{
  id: string;
}>;

export type WorkspaceProvidersQuery = {
  __typename: 'Query';
  workspace: {
    __typename: 'Workspace';
    id: string;
    providers: Array<{
      __typename: 'WorkspaceProvider';
      workspaceId: string;
      provider: Provider;
      byokEnabled: boolean;
      source: KeySource;
      sourceReason: KeySourceReason | null;
      sourceKeyStatus: KeyStatus | null;
      customKey: {
        __typename: 'StoredKey';
        masked: string;
        fingerprint: string;
        status: KeyStatus;
        active: boolean;
        lastVerifiedAt: string | null;
        lastError: string | null;
        updatedAt: string;
      } | null;
    }>;
  } | null;
};

export type PlatformUsageQueryVariables = Exact<{
  from?: string | null | undefined;
  to?: string | null | undefined;
}>;

export type PlatformUsageQuery = {
  __typename: 'Query';
  platformUsage: {
    __typename: 'UsageSummary';
    from: string;
    to: string;
    totals: {
      __typename: 'UsageTotals';
      requests: number;
      failures: number;
      cancelled: number;
      inputTokens: number;
      outputTokens: number;
      costMicroUsd: number;
    };
    onGlobalKey: {
      __typename: 'UsageTotals';
      requests: number;
      failures: number;
      cancelled: number;
      inputTokens: number;
      outputTokens: number;
      costMicroUsd: number;
    };
    onWorkspaceKey: {
      __typename: 'UsageTotals';
      requests: number;
      failures: number;
      cancelled: number;
      inputTokens: number;
      outputTokens: number;
      costMicroUsd: number;
    };
    byProvider: Array<{
      __typename: 'ProviderUsage';
      provider: Provider;
      keySource: KeySource;
      requests: number;
      failures: number;
      inputTokens: number;
      outputTokens: number;
      costMicroUsd: number;
    }>;
    daily: Array<{ __typename: 'UsageDay'; date: string; requests: number; globalCostMicroUsd: number; workspaceCostMicroUsd: number }>;
  };
};

export type ProviderUsageFieldsFragment = {
  __typename: 'ProviderUsage';
  provider: Provider;
  keySource: KeySource;
  requests: number;
  failures: number;
  inputTokens: number;
  outputTokens: number;
  costMicroUsd: number;
};

export type UsageDayFieldsFragment = { __typename: 'UsageDay'; date: string; requests: number; globalCostMicroUsd: number; workspaceCostMicroUsd: number };

export type UsageReportQueryVariables = Exact<{
  from?: string | null | undefined;
  to?: string | null | undefined;
}>;

export type UsageReportQuery = {
  __typename: 'Query';
  usageReport: Array<{
    __typename: 'WorkspaceUsage';
    workspaceId: string;
    workspaceName: string;
    totals: {
      __typename: 'UsageTotals';
      requests: number;
      failures: number;
      cancelled: number;
      inputTokens: number;
      outputTokens: number;
      costMicroUsd: number;
    };
    onGlobalKey: {
      __typename: 'UsageTotals';
      requests: number;
      failures: number;
      cancelled: number;
      inputTokens: number;
      outputTokens: number;
      costMicroUsd: number;
    };
    onWorkspaceKey: {
      __typename: 'UsageTotals';
      requests: number;
      failures: number;
      cancelled: number;
      inputTokens: number;
      outputTokens: number;
      costMicroUsd: number;
    };
    byProvider: Array<{
      __typename: 'ProviderUsage';
      provider: Provider;
      keySource: KeySource;
      requests: number;
      failures: number;
      inputTokens: number;
      outputTokens: number;
      costMicroUsd: number;
    }>;
  }>;
};

export type UsageTotalsFieldsFragment = {
  __typename: 'UsageTotals';
  requests: number;
  failures: number;
  cancelled: number;
  inputTokens: number;
  outputTokens: number;
  costMicroUsd: number;
};

export type WorkspaceUsageQueryVariables = Exact<{
  id: string;
  from?: string | null | undefined;
  to?: string | null | undefined;
}>;

export type WorkspaceUsageQuery = {
  __typename: 'Query';
  workspace: {
    __typename: 'Workspace';
    id: string;
    usage: {
      __typename: 'UsageSummary';
      from: string;
      to: string;
      totals: {
        __typename: 'UsageTotals';
        requests: number;
        failures: number;
        cancelled: number;
        inputTokens: number;
        outputTokens: number;
        costMicroUsd: number;
      };
      onGlobalKey: {
        __typename: 'UsageTotals';
        requests: number;
        failures: number;
        cancelled: number;
        inputTokens: number;
        outputTokens: number;
        costMicroUsd: number;
      };
      onWorkspaceKey: {
        __typename: 'UsageTotals';
        requests: number;
        failures: number;
        cancelled: number;
        inputTokens: number;
        outputTokens: number;
        costMicroUsd: number;
      };
      byProvider: Array<{
        __typename: 'ProviderUsage';
        provider: Provider;
        keySource: KeySource;
        requests: number;
        failures: number;
        inputTokens: number;
        outputTokens: number;
        costMicroUsd: number;
      }>;
      daily: Array<{ __typename: 'UsageDay'; date: string; requests: number; globalCostMicroUsd: number; workspaceCostMicroUsd: number }>;
    };
  } | null;
};

export type AddWorkspaceMemberMutationVariables = Exact<{
  workspaceId: string;
  email: string;
}>;

export type AddWorkspaceMemberMutation = {
  __typename: 'Mutation';
  addWorkspaceMember: { __typename: 'Membership'; role: WorkspaceRole; user: { __typename: 'User'; id: string; email: string; name: string } };
};

export type CreateWorkspaceMutationVariables = Exact<{
  name: string;
}>;

export type CreateWorkspaceMutation = {
  __typename: 'Mutation';
  createWorkspace: { __typename: 'Workspace'; id: string; name: string; viewerRole: WorkspaceRole | null };
};

export type RemoveWorkspaceMemberMutationVariables = Exact<{
  workspaceId: string;
  userId: string;
}>;

export type RemoveWorkspaceMemberMutation = { __typename: 'Mutation'; removeWorkspaceMember: boolean };

export type WorkspaceMembersQueryVariables = Exact<{
  id: string;
}>;

export type WorkspaceMembersQuery = {
  __typename: 'Query';
  workspace: {
    __typename: 'Workspace';
    id: string;
    name: string;
    viewerRole: WorkspaceRole | null;
    members: Array<{ __typename: 'Membership'; role: WorkspaceRole; user: { __typename: 'User'; id: string; email: string; name: string } }>;
  } | null;
};

export type WorkspaceSummaryFragment = { __typename: 'Workspace'; id: string; name: string; viewerRole: WorkspaceRole | null };

export type WorkspaceQueryVariables = Exact<{
  id: string;
}>;

export type WorkspaceQuery = {
  __typename: 'Query';
  workspace: {
    __typename: 'Workspace';
    id: string;
    name: string;
    viewerRole: WorkspaceRole | null;
    members: Array<{ __typename: 'Membership'; role: WorkspaceRole; user: { __typename: 'User'; id: string; name: string } }>;
  } | null;
};

export type WorkspacesQueryVariables = Exact<{ [key: string]: never }>;

export type WorkspacesQuery = {
  __typename: 'Query';
  workspaces: Array<{ __typename: 'Workspace'; id: string; name: string; viewerRole: WorkspaceRole | null }>;
};

export const ApiTokenFieldsFragmentDoc = {
  kind: 'Document',
  definitions: [
    {
      kind: 'FragmentDefinition',
      name: { kind: 'Name', value: 'ApiTokenFields' },
      typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'ApiToken' } },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'Field', name: { kind: 'Name', value: 'id' } },
          { kind: 'Field', name: { kind: 'Name', value: 'name' } },
          { kind: 'Field', name: { kind: 'Name', value: 'prefix' } },
          { kind: 'Field', name: { kind: 'Name', value: 'createdAt' } },
          { kind: 'Field', name: { kind: 'Name', value: 'lastUsedAt' } },
          { kind: 'Field', name: { kind: 'Name', value: 'revokedAt' } },
        ],
      },
    },
  ],
} as unknown as DocumentNode<ApiTokenFieldsFragment, unknown>;
export const AuditEventFieldsFragmentDoc = {
  kind: 'Document',
  definitions: [
    {
      kind: 'FragmentDefinition',
      name: { kind: 'Name', value: 'AuditEventFields' },
      typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'AuditEvent' } },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'Field', name: { kind: 'Name', value: 'id' } },
          { kind: 'Field', name: { kind: 'Name', value: 'occurredAt' } },
          { kind: 'Field', name: { kind: 'Name', value: 'action' } },
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'actor' },
            selectionSet: { kind: 'SelectionSet', selections: [{ kind: 'Field', name: { kind: 'Name', value: 'email' } }] },
          },
          { kind: 'Field', name: { kind: 'Name', value: 'provider' } },
          { kind: 'Field', name: { kind: 'Name', value: 'workspaceId' } },
          { kind: 'Field', name: { kind: 'Name', value: 'workspaceName' } },
          { kind: 'Field', name: { kind: 'Name', value: 'targetUserEmail' } },
          { kind: 'Field', name: { kind: 'Name', value: 'fingerprint' } },
          { kind: 'Field', name: { kind: 'Name', value: 'outcome' } },
          { kind: 'Field', name: { kind: 'Name', value: 'details' } },
        ],
      },
    },
  ],
} as unknown as DocumentNode<AuditEventFieldsFragment, unknown>;
export const ViewerFieldsFragmentDoc = {
  kind: 'Document',
  definitions: [
    {
      kind: 'FragmentDefinition',
      name: { kind: 'Name', value: 'ViewerFields' },
      typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'User' } },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'Field', name: { kind: 'Name', value: 'id' } },
          { kind: 'Field', name: { kind: 'Name', value: 'email' } },
          { kind: 'Field', name: { kind: 'Name', value: 'name' } },
          { kind: 'Field', name: { kind: 'Name', value: 'isAdmin' } },
        ],
      },
    },
  ],
} as unknown as DocumentNode<ViewerFieldsFragment, unknown>;
export const StoredKeyFieldsFragmentDoc = {
  kind: 'Document',
  definitions: [
    {
      kind: 'FragmentDefinition',
      name: { kind: 'Name', value: 'StoredKeyFields' },
      typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'StoredKey' } },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'Field', name: { kind: 'Name', value: 'masked' } },
          { kind: 'Field', name: { kind: 'Name', value: 'fingerprint' } },
          { kind: 'Field', name: { kind: 'Name', value: 'status' } },
          { kind: 'Field', name: { kind: 'Name', value: 'active' } },
          { kind: 'Field', name: { kind: 'Name', value: 'lastVerifiedAt' } },
          { kind: 'Field', name: { kind: 'Name', value: 'lastError' } },
          { kind: 'Field', name: { kind: 'Name', value: 'updatedAt' } },
        ],
      },
    },
  ],
} as unknown as DocumentNode<StoredKeyFieldsFragment, unknown>;
export const IntegrationFieldsFragmentDoc = {
  kind: 'Document',
  definitions: [
    {
      kind: 'FragmentDefinition',
      name: { kind: 'Name', value: 'IntegrationFields' },
      typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'ProviderIntegration' } },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'Field', name: { kind: 'Name', value: 'provider' } },
          { kind: 'Field', name: { kind: 'Name', value: 'byokEnabled' } },
          { kind: 'Field', name: { kind: 'Name', value: 'workspacesWithCustomKey' } },
          { kind: 'Field', name: { kind: 'Name', value: 'environmentKeyConfigured' } },
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'globalKey' },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'FragmentSpread', name: { kind: 'Name', value: 'StoredKeyFields' } },
                { kind: 'Field', name: { kind: 'Name', value: 'origin' } },
              ],
            },
          },
        ],
      },
    },
    {
      kind: 'FragmentDefinition',
      name: { kind: 'Name', value: 'StoredKeyFields' },
      typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'StoredKey' } },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'Field', name: { kind: 'Name', value: 'masked' } },
          { kind: 'Field', name: { kind: 'Name', value: 'fingerprint' } },
          { kind: 'Field', name: { kind: 'Name', value: 'status' } },
          { kind: 'Field', name: { kind: 'Name', value: 'active' } },
          { kind: 'Field', name: { kind: 'Name', value: 'lastVerifiedAt' } },
          { kind: 'Field', name: { kind: 'Name', value: 'lastError' } },
          { kind: 'Field', name: { kind: 'Name', value: 'updatedAt' } },
        ],
      },
    },
  ],
} as unknown as DocumentNode<IntegrationFieldsFragment, unknown>;
export const WorkspaceProviderFieldsFragmentDoc = {
  kind: 'Document',
  definitions: [
    {
      kind: 'FragmentDefinition',
      name: { kind: 'Name', value: 'WorkspaceProviderFields' },
      typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'WorkspaceProvider' } },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'Field', name: { kind: 'Name', value: 'workspaceId' } },
          { kind: 'Field', name: { kind: 'Name', value: 'provider' } },
          { kind: 'Field', name: { kind: 'Name', value: 'byokEnabled' } },
          { kind: 'Field', name: { kind: 'Name', value: 'source' } },
          { kind: 'Field', name: { kind: 'Name', value: 'sourceReason' } },
          { kind: 'Field', name: { kind: 'Name', value: 'sourceKeyStatus' } },
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'customKey' },
            selectionSet: { kind: 'SelectionSet', selections: [{ kind: 'FragmentSpread', name: { kind: 'Name', value: 'StoredKeyFields' } }] },
          },
        ],
      },
    },
    {
      kind: 'FragmentDefinition',
      name: { kind: 'Name', value: 'StoredKeyFields' },
      typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'StoredKey' } },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'Field', name: { kind: 'Name', value: 'masked' } },
          { kind: 'Field', name: { kind: 'Name', value: 'fingerprint' } },
          { kind: 'Field', name: { kind: 'Name', value: 'status' } },
          { kind: 'Field', name: { kind: 'Name', value: 'active' } },
          { kind: 'Field', name: { kind: 'Name', value: 'lastVerifiedAt' } },
          { kind: 'Field', name: { kind: 'Name', value: 'lastError' } },
          { kind: 'Field', name: { kind: 'Name', value: 'updatedAt' } },
        ],
      },
    },
  ],
} as unknown as DocumentNode<WorkspaceProviderFieldsFragment, unknown>;
export const ProviderUsageFieldsFragmentDoc = {
  kind: 'Document',
  definitions: [
    {
      kind: 'FragmentDefinition',
      name: { kind: 'Name', value: 'ProviderUsageFields' },
      typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'ProviderUsage' } },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'Field', name: { kind: 'Name', value: 'provider' } },
          { kind: 'Field', name: { kind: 'Name', value: 'keySource' } },
          { kind: 'Field', name: { kind: 'Name', value: 'requests' } },
          { kind: 'Field', name: { kind: 'Name', value: 'failures' } },
          { kind: 'Field', name: { kind: 'Name', value: 'inputTokens' } },
          { kind: 'Field', name: { kind: 'Name', value: 'outputTokens' } },
          { kind: 'Field', name: { kind: 'Name', value: 'costMicroUsd' } },
        ],
      },
    },
  ],
} as unknown as DocumentNode<ProviderUsageFieldsFragment, unknown>;
export const UsageDayFieldsFragmentDoc = {
  kind: 'Document',
  definitions: [
    {
      kind: 'FragmentDefinition',
      name: { kind: 'Name', value: 'UsageDayFields' },
      typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'UsageDay' } },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'Field', name: { kind: 'Name', value: 'date' } },
          { kind: 'Field', name: { kind: 'Name', value: 'requests' } },
          { kind: 'Field', name: { kind: 'Name', value: 'globalCostMicroUsd' } },
          { kind: 'Field', name: { kind: 'Name', value: 'workspaceCostMicroUsd' } },
        ],
      },
    },
  ],
} as unknown as DocumentNode<UsageDayFieldsFragment, unknown>;
export const UsageTotalsFieldsFragmentDoc = {
  kind: 'Document',
  definitions: [
    {
      kind: 'FragmentDefinition',
      name: { kind: 'Name', value: 'UsageTotalsFields' },
      typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'UsageTotals' } },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'Field', name: { kind: 'Name', value: 'requests' } },
          { kind: 'Field', name: { kind: 'Name', value: 'failures' } },
          { kind: 'Field', name: { kind: 'Name', value: 'cancelled' } },
          { kind: 'Field', name: { kind: 'Name', value: 'inputTokens' } },
          { kind: 'Field', name: { kind: 'Name', value: 'outputTokens' } },
          { kind: 'Field', name: { kind: 'Name', value: 'costMicroUsd' } },
        ],
      },
    },
  ],
} as unknown as DocumentNode<UsageTotalsFieldsFragment, unknown>;
export const WorkspaceSummaryFragmentDoc = {
  kind: 'Document',
  definitions: [
    {
      kind: 'FragmentDefinition',
      name: { kind: 'Name', value: 'WorkspaceSummary' },
      typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'Workspace' } },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'Field', name: { kind: 'Name', value: 'id' } },
          { kind: 'Field', name: { kind: 'Name', value: 'name' } },
          { kind: 'Field', name: { kind: 'Name', value: 'viewerRole' } },
        ],
      },
    },
  ],
} as unknown as DocumentNode<WorkspaceSummaryFragment, unknown>;
export const AdminWorkspaceDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'query',
      name: { kind: 'Name', value: 'AdminWorkspace' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'ID' } } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'workspace' },
            arguments: [{ kind: 'Argument', name: { kind: 'Name', value: 'id' }, value: { kind: 'Variable', name: { kind: 'Name', value: 'id' } } }],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                { kind: 'Field', name: { kind: 'Name', value: 'name' } },
                { kind: 'Field', name: { kind: 'Name', value: 'createdAt' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'members' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'role' } },
                      {
                        kind: 'Field',
                        name: { kind: 'Name', value: 'user' },
                        selectionSet: {
                          kind: 'SelectionSet',
                          selections: [
                            { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                            { kind: 'Field', name: { kind: 'Name', value: 'email' } },
                            { kind: 'Field', name: { kind: 'Name', value: 'name' } },
                          ],
                        },
                      },
                    ],
                  },
                },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'providers' },
                  selectionSet: { kind: 'SelectionSet', selections: [{ kind: 'FragmentSpread', name: { kind: 'Name', value: 'WorkspaceProviderFields' } }] },
                },
              ],
            },
          },
        ],
      },
    },
    {
      kind: 'FragmentDefinition',
      name: { kind: 'Name', value: 'StoredKeyFields' },
      typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'StoredKey' } },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'Field', name: { kind: 'Name', value: 'masked' } },
          { kind: 'Field', name: { kind: 'Name', value: 'fingerprint' } },
          { kind: 'Field', name: { kind: 'Name', value: 'status' } },
          { kind: 'Field', name: { kind: 'Name', value: 'active' } },
          { kind: 'Field', name: { kind: 'Name', value: 'lastVerifiedAt' } },
          { kind: 'Field', name: { kind: 'Name', value: 'lastError' } },
          { kind: 'Field', name: { kind: 'Name', value: 'updatedAt' } },
        ],
      },
    },
    {
      kind: 'FragmentDefinition',
      name: { kind: 'Name', value: 'WorkspaceProviderFields' },
      typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'WorkspaceProvider' } },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'Field', name: { kind: 'Name', value: 'workspaceId' } },
          { kind: 'Field', name: { kind: 'Name', value: 'provider' } },
          { kind: 'Field', name: { kind: 'Name', value: 'byokEnabled' } },
          { kind: 'Field', name: { kind: 'Name', value: 'source' } },
          { kind: 'Field', name: { kind: 'Name', value: 'sourceReason' } },
          { kind: 'Field', name: { kind: 'Name', value: 'sourceKeyStatus' } },
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'customKey' },
            selectionSet: { kind: 'SelectionSet', selections: [{ kind: 'FragmentSpread', name: { kind: 'Name', value: 'StoredKeyFields' } }] },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<AdminWorkspaceQuery, AdminWorkspaceQueryVariables>;
export const AdminWorkspacesDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'query',
      name: { kind: 'Name', value: 'AdminWorkspaces' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'search' } },
          type: { kind: 'NamedType', name: { kind: 'Name', value: 'String' } },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'first' } },
          type: { kind: 'NamedType', name: { kind: 'Name', value: 'Int' } },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'after' } },
          type: { kind: 'NamedType', name: { kind: 'Name', value: 'String' } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'adminWorkspaces' },
            arguments: [
              { kind: 'Argument', name: { kind: 'Name', value: 'search' }, value: { kind: 'Variable', name: { kind: 'Name', value: 'search' } } },
              { kind: 'Argument', name: { kind: 'Name', value: 'first' }, value: { kind: 'Variable', name: { kind: 'Name', value: 'first' } } },
              { kind: 'Argument', name: { kind: 'Name', value: 'after' }, value: { kind: 'Variable', name: { kind: 'Name', value: 'after' } } },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'totalCount' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'edges' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'cursor' } },
                      {
                        kind: 'Field',
                        name: { kind: 'Name', value: 'node' },
                        selectionSet: {
                          kind: 'SelectionSet',
                          selections: [
                            { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                            { kind: 'Field', name: { kind: 'Name', value: 'name' } },
                            { kind: 'Field', name: { kind: 'Name', value: 'createdAt' } },
                            {
                              kind: 'Field',
                              name: { kind: 'Name', value: 'providers' },
                              selectionSet: {
                                kind: 'SelectionSet',
                                selections: [
                                  { kind: 'Field', name: { kind: 'Name', value: 'workspaceId' } },
                                  { kind: 'Field', name: { kind: 'Name', value: 'provider' } },
                                  { kind: 'Field', name: { kind: 'Name', value: 'byokEnabled' } },
                                  { kind: 'Field', name: { kind: 'Name', value: 'source' } },
                                  { kind: 'Field', name: { kind: 'Name', value: 'sourceReason' } },
                                  { kind: 'Field', name: { kind: 'Name', value: 'sourceKeyStatus' } },
                                  {
                                    kind: 'Field',
                                    name: { kind: 'Name', value: 'customKey' },
                                    selectionSet: {
                                      kind: 'SelectionSet',
                                      selections: [
                                        { kind: 'Field', name: { kind: 'Name', value: 'status' } },
                                        { kind: 'Field', name: { kind: 'Name', value: 'active' } },
                                        { kind: 'Field', name: { kind: 'Name', value: 'lastError' } },
                                      ],
                                    },
                                  },
                                ],
                              },
                            },
                          ],
                        },
                      },
                    ],
                  },
                },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'pageInfo' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'hasNextPage' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'endCursor' } },
                    ],
                  },
                },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<AdminWorkspacesQuery, AdminWorkspacesQueryVariables>;
export const ApiTokensDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'query',
      name: { kind: 'Name', value: 'ApiTokens' },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'apiTokens' },
            selectionSet: { kind: 'SelectionSet', selections: [{ kind: 'FragmentSpread', name: { kind: 'Name', value: 'ApiTokenFields' } }] },
          },
        ],
      },
    },
    {
      kind: 'FragmentDefinition',
      name: { kind: 'Name', value: 'ApiTokenFields' },
      typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'ApiToken' } },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'Field', name: { kind: 'Name', value: 'id' } },
          { kind: 'Field', name: { kind: 'Name', value: 'name' } },
          { kind: 'Field', name: { kind: 'Name', value: 'prefix' } },
          { kind: 'Field', name: { kind: 'Name', value: 'createdAt' } },
          { kind: 'Field', name: { kind: 'Name', value: 'lastUsedAt' } },
          { kind: 'Field', name: { kind: 'Name', value: 'revokedAt' } },
        ],
      },
    },
  ],
} as unknown as DocumentNode<ApiTokensQuery, ApiTokensQueryVariables>;
export const CreateApiTokenDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'mutation',
      name: { kind: 'Name', value: 'CreateApiToken' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'name' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'String' } } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'createApiToken' },
            arguments: [{ kind: 'Argument', name: { kind: 'Name', value: 'name' }, value: { kind: 'Variable', name: { kind: 'Name', value: 'name' } } }],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'token' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'apiToken' },
                  selectionSet: { kind: 'SelectionSet', selections: [{ kind: 'FragmentSpread', name: { kind: 'Name', value: 'ApiTokenFields' } }] },
                },
              ],
            },
          },
        ],
      },
    },
    {
      kind: 'FragmentDefinition',
      name: { kind: 'Name', value: 'ApiTokenFields' },
      typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'ApiToken' } },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'Field', name: { kind: 'Name', value: 'id' } },
          { kind: 'Field', name: { kind: 'Name', value: 'name' } },
          { kind: 'Field', name: { kind: 'Name', value: 'prefix' } },
          { kind: 'Field', name: { kind: 'Name', value: 'createdAt' } },
          { kind: 'Field', name: { kind: 'Name', value: 'lastUsedAt' } },
          { kind: 'Field', name: { kind: 'Name', value: 'revokedAt' } },
        ],
      },
    },
  ],
} as unknown as DocumentNode<CreateApiTokenMutation, CreateApiTokenMutationVariables>;
export const RevokeApiTokenDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'mutation',
      name: { kind: 'Name', value: 'RevokeApiToken' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'ID' } } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'revokeApiToken' },
            arguments: [{ kind: 'Argument', name: { kind: 'Name', value: 'id' }, value: { kind: 'Variable', name: { kind: 'Name', value: 'id' } } }],
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<RevokeApiTokenMutation, RevokeApiTokenMutationVariables>;
export const AuditEventsDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'query',
      name: { kind: 'Name', value: 'AuditEvents' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'workspaceId' } },
          type: { kind: 'NamedType', name: { kind: 'Name', value: 'ID' } },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'action' } },
          type: { kind: 'NamedType', name: { kind: 'Name', value: 'String' } },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'first' } },
          type: { kind: 'NamedType', name: { kind: 'Name', value: 'Int' } },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'after' } },
          type: { kind: 'NamedType', name: { kind: 'Name', value: 'String' } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'auditEvents' },
            arguments: [
              { kind: 'Argument', name: { kind: 'Name', value: 'workspaceId' }, value: { kind: 'Variable', name: { kind: 'Name', value: 'workspaceId' } } },
              { kind: 'Argument', name: { kind: 'Name', value: 'action' }, value: { kind: 'Variable', name: { kind: 'Name', value: 'action' } } },
              { kind: 'Argument', name: { kind: 'Name', value: 'first' }, value: { kind: 'Variable', name: { kind: 'Name', value: 'first' } } },
              { kind: 'Argument', name: { kind: 'Name', value: 'after' }, value: { kind: 'Variable', name: { kind: 'Name', value: 'after' } } },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'totalCount' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'edges' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'cursor' } },
                      {
                        kind: 'Field',
                        name: { kind: 'Name', value: 'node' },
                        selectionSet: { kind: 'SelectionSet', selections: [{ kind: 'FragmentSpread', name: { kind: 'Name', value: 'AuditEventFields' } }] },
                      },
                    ],
                  },
                },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'pageInfo' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'hasNextPage' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'endCursor' } },
                    ],
                  },
                },
              ],
            },
          },
        ],
      },
    },
    {
      kind: 'FragmentDefinition',
      name: { kind: 'Name', value: 'AuditEventFields' },
      typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'AuditEvent' } },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'Field', name: { kind: 'Name', value: 'id' } },
          { kind: 'Field', name: { kind: 'Name', value: 'occurredAt' } },
          { kind: 'Field', name: { kind: 'Name', value: 'action' } },
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'actor' },
            selectionSet: { kind: 'SelectionSet', selections: [{ kind: 'Field', name: { kind: 'Name', value: 'email' } }] },
          },
          { kind: 'Field', name: { kind: 'Name', value: 'provider' } },
          { kind: 'Field', name: { kind: 'Name', value: 'workspaceId' } },
          { kind: 'Field', name: { kind: 'Name', value: 'workspaceName' } },
          { kind: 'Field', name: { kind: 'Name', value: 'targetUserEmail' } },
          { kind: 'Field', name: { kind: 'Name', value: 'fingerprint' } },
          { kind: 'Field', name: { kind: 'Name', value: 'outcome' } },
          { kind: 'Field', name: { kind: 'Name', value: 'details' } },
        ],
      },
    },
  ],
} as unknown as DocumentNode<AuditEventsQuery, AuditEventsQueryVariables>;
export const MeDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'query',
      name: { kind: 'Name', value: 'Me' },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'me' },
            selectionSet: { kind: 'SelectionSet', selections: [{ kind: 'FragmentSpread', name: { kind: 'Name', value: 'ViewerFields' } }] },
          },
        ],
      },
    },
    {
      kind: 'FragmentDefinition',
      name: { kind: 'Name', value: 'ViewerFields' },
      typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'User' } },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'Field', name: { kind: 'Name', value: 'id' } },
          { kind: 'Field', name: { kind: 'Name', value: 'email' } },
          { kind: 'Field', name: { kind: 'Name', value: 'name' } },
          { kind: 'Field', name: { kind: 'Name', value: 'isAdmin' } },
        ],
      },
    },
  ],
} as unknown as DocumentNode<MeQuery, MeQueryVariables>;
export const SignInDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'mutation',
      name: { kind: 'Name', value: 'SignIn' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'email' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'String' } } },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'password' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'String' } } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'signIn' },
            arguments: [
              { kind: 'Argument', name: { kind: 'Name', value: 'email' }, value: { kind: 'Variable', name: { kind: 'Name', value: 'email' } } },
              { kind: 'Argument', name: { kind: 'Name', value: 'password' }, value: { kind: 'Variable', name: { kind: 'Name', value: 'password' } } },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'user' },
                  selectionSet: { kind: 'SelectionSet', selections: [{ kind: 'FragmentSpread', name: { kind: 'Name', value: 'ViewerFields' } }] },
                },
              ],
            },
          },
        ],
      },
    },
    {
      kind: 'FragmentDefinition',
      name: { kind: 'Name', value: 'ViewerFields' },
      typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'User' } },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'Field', name: { kind: 'Name', value: 'id' } },
          { kind: 'Field', name: { kind: 'Name', value: 'email' } },
          { kind: 'Field', name: { kind: 'Name', value: 'name' } },
          { kind: 'Field', name: { kind: 'Name', value: 'isAdmin' } },
        ],
      },
    },
  ],
} as unknown as DocumentNode<SignInMutation, SignInMutationVariables>;
export const SignOutDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'mutation',
      name: { kind: 'Name', value: 'SignOut' },
      selectionSet: { kind: 'SelectionSet', selections: [{ kind: 'Field', name: { kind: 'Name', value: 'signOut' } }] },
    },
  ],
} as unknown as DocumentNode<SignOutMutation, SignOutMutationVariables>;
export const SignUpDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'mutation',
      name: { kind: 'Name', value: 'SignUp' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'email' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'String' } } },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'password' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'String' } } },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'name' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'String' } } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'signUp' },
            arguments: [
              { kind: 'Argument', name: { kind: 'Name', value: 'email' }, value: { kind: 'Variable', name: { kind: 'Name', value: 'email' } } },
              { kind: 'Argument', name: { kind: 'Name', value: 'password' }, value: { kind: 'Variable', name: { kind: 'Name', value: 'password' } } },
              { kind: 'Argument', name: { kind: 'Name', value: 'name' }, value: { kind: 'Variable', name: { kind: 'Name', value: 'name' } } },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'user' },
                  selectionSet: { kind: 'SelectionSet', selections: [{ kind: 'FragmentSpread', name: { kind: 'Name', value: 'ViewerFields' } }] },
                },
              ],
            },
          },
        ],
      },
    },
    {
      kind: 'FragmentDefinition',
      name: { kind: 'Name', value: 'ViewerFields' },
      typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'User' } },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'Field', name: { kind: 'Name', value: 'id' } },
          { kind: 'Field', name: { kind: 'Name', value: 'email' } },
          { kind: 'Field', name: { kind: 'Name', value: 'name' } },
          { kind: 'Field', name: { kind: 'Name', value: 'isAdmin' } },
        ],
      },
    },
  ],
} as unknown as DocumentNode<SignUpMutation, SignUpMutationVariables>;
export const IntegrationChangePreviewDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'query',
      name: { kind: 'Name', value: 'IntegrationChangePreview' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'provider' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'Provider' } } },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'byokEnabled' } },
          type: { kind: 'NamedType', name: { kind: 'Name', value: 'Boolean' } },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'clearGlobalKey' } },
          type: { kind: 'NamedType', name: { kind: 'Name', value: 'Boolean' } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'integrationChangePreview' },
            arguments: [
              { kind: 'Argument', name: { kind: 'Name', value: 'provider' }, value: { kind: 'Variable', name: { kind: 'Name', value: 'provider' } } },
              { kind: 'Argument', name: { kind: 'Name', value: 'byokEnabled' }, value: { kind: 'Variable', name: { kind: 'Name', value: 'byokEnabled' } } },
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'clearGlobalKey' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'clearGlobalKey' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'provider' } },
                { kind: 'Field', name: { kind: 'Name', value: 'byokEnabled' } },
                { kind: 'Field', name: { kind: 'Name', value: 'clearGlobalKey' } },
                { kind: 'Field', name: { kind: 'Name', value: 'platformKeyStatusAfter' } },
                { kind: 'Field', name: { kind: 'Name', value: 'workspacesMoving' } },
                { kind: 'Field', name: { kind: 'Name', value: 'toOwnKey' } },
                { kind: 'Field', name: { kind: 'Name', value: 'toWorkingPlatformKey' } },
                { kind: 'Field', name: { kind: 'Name', value: 'toRejectedPlatformKey' } },
                { kind: 'Field', name: { kind: 'Name', value: 'toNoKey' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'workspaces' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'name' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'outcome' } },
                    ],
                  },
                },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<IntegrationChangePreviewQuery, IntegrationChangePreviewQueryVariables>;
export const IntegrationsDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'query',
      name: { kind: 'Name', value: 'Integrations' },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'integrations' },
            selectionSet: { kind: 'SelectionSet', selections: [{ kind: 'FragmentSpread', name: { kind: 'Name', value: 'IntegrationFields' } }] },
          },
        ],
      },
    },
    {
      kind: 'FragmentDefinition',
      name: { kind: 'Name', value: 'StoredKeyFields' },
      typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'StoredKey' } },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'Field', name: { kind: 'Name', value: 'masked' } },
          { kind: 'Field', name: { kind: 'Name', value: 'fingerprint' } },
          { kind: 'Field', name: { kind: 'Name', value: 'status' } },
          { kind: 'Field', name: { kind: 'Name', value: 'active' } },
          { kind: 'Field', name: { kind: 'Name', value: 'lastVerifiedAt' } },
          { kind: 'Field', name: { kind: 'Name', value: 'lastError' } },
          { kind: 'Field', name: { kind: 'Name', value: 'updatedAt' } },
        ],
      },
    },
    {
      kind: 'FragmentDefinition',
      name: { kind: 'Name', value: 'IntegrationFields' },
      typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'ProviderIntegration' } },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'Field', name: { kind: 'Name', value: 'provider' } },
          { kind: 'Field', name: { kind: 'Name', value: 'byokEnabled' } },
          { kind: 'Field', name: { kind: 'Name', value: 'workspacesWithCustomKey' } },
          { kind: 'Field', name: { kind: 'Name', value: 'environmentKeyConfigured' } },
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'globalKey' },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'FragmentSpread', name: { kind: 'Name', value: 'StoredKeyFields' } },
                { kind: 'Field', name: { kind: 'Name', value: 'origin' } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<IntegrationsQuery, IntegrationsQueryVariables>;
export const UpdateIntegrationDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'mutation',
      name: { kind: 'Name', value: 'UpdateIntegration' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'provider' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'Provider' } } },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'byokEnabled' } },
          type: { kind: 'NamedType', name: { kind: 'Name', value: 'Boolean' } },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'globalKey' } },
          type: { kind: 'NamedType', name: { kind: 'Name', value: 'String' } },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'clearGlobalKey' } },
          type: { kind: 'NamedType', name: { kind: 'Name', value: 'Boolean' } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'updateIntegration' },
            arguments: [
              { kind: 'Argument', name: { kind: 'Name', value: 'provider' }, value: { kind: 'Variable', name: { kind: 'Name', value: 'provider' } } },
              { kind: 'Argument', name: { kind: 'Name', value: 'byokEnabled' }, value: { kind: 'Variable', name: { kind: 'Name', value: 'byokEnabled' } } },
              { kind: 'Argument', name: { kind: 'Name', value: 'globalKey' }, value: { kind: 'Variable', name: { kind: 'Name', value: 'globalKey' } } },
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'clearGlobalKey' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'clearGlobalKey' } },
              },
            ],
            selectionSet: { kind: 'SelectionSet', selections: [{ kind: 'FragmentSpread', name: { kind: 'Name', value: 'IntegrationFields' } }] },
          },
        ],
      },
    },
    {
      kind: 'FragmentDefinition',
      name: { kind: 'Name', value: 'StoredKeyFields' },
      typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'StoredKey' } },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'Field', name: { kind: 'Name', value: 'masked' } },
          { kind: 'Field', name: { kind: 'Name', value: 'fingerprint' } },
          { kind: 'Field', name: { kind: 'Name', value: 'status' } },
          { kind: 'Field', name: { kind: 'Name', value: 'active' } },
          { kind: 'Field', name: { kind: 'Name', value: 'lastVerifiedAt' } },
          { kind: 'Field', name: { kind: 'Name', value: 'lastError' } },
          { kind: 'Field', name: { kind: 'Name', value: 'updatedAt' } },
        ],
      },
    },
    {
      kind: 'FragmentDefinition',
      name: { kind: 'Name', value: 'IntegrationFields' },
      typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'ProviderIntegration' } },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'Field', name: { kind: 'Name', value: 'provider' } },
          { kind: 'Field', name: { kind: 'Name', value: 'byokEnabled' } },
          { kind: 'Field', name: { kind: 'Name', value: 'workspacesWithCustomKey' } },
          { kind: 'Field', name: { kind: 'Name', value: 'environmentKeyConfigured' } },
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'globalKey' },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'FragmentSpread', name: { kind: 'Name', value: 'StoredKeyFields' } },
                { kind: 'Field', name: { kind: 'Name', value: 'origin' } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<UpdateIntegrationMutation, UpdateIntegrationMutationVariables>;
export const VerifyGlobalKeyDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'mutation',
      name: { kind: 'Name', value: 'VerifyGlobalKey' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'provider' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'Provider' } } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'verifyGlobalKey' },
            arguments: [
              { kind: 'Argument', name: { kind: 'Name', value: 'provider' }, value: { kind: 'Variable', name: { kind: 'Name', value: 'provider' } } },
            ],
            selectionSet: { kind: 'SelectionSet', selections: [{ kind: 'FragmentSpread', name: { kind: 'Name', value: 'IntegrationFields' } }] },
          },
        ],
      },
    },
    {
      kind: 'FragmentDefinition',
      name: { kind: 'Name', value: 'StoredKeyFields' },
      typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'StoredKey' } },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'Field', name: { kind: 'Name', value: 'masked' } },
          { kind: 'Field', name: { kind: 'Name', value: 'fingerprint' } },
          { kind: 'Field', name: { kind: 'Name', value: 'status' } },
          { kind: 'Field', name: { kind: 'Name', value: 'active' } },
          { kind: 'Field', name: { kind: 'Name', value: 'lastVerifiedAt' } },
          { kind: 'Field', name: { kind: 'Name', value: 'lastError' } },
          { kind: 'Field', name: { kind: 'Name', value: 'updatedAt' } },
        ],
      },
    },
    {
      kind: 'FragmentDefinition',
      name: { kind: 'Name', value: 'IntegrationFields' },
      typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'ProviderIntegration' } },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'Field', name: { kind: 'Name', value: 'provider' } },
          { kind: 'Field', name: { kind: 'Name', value: 'byokEnabled' } },
          { kind: 'Field', name: { kind: 'Name', value: 'workspacesWithCustomKey' } },
          { kind: 'Field', name: { kind: 'Name', value: 'environmentKeyConfigured' } },
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'globalKey' },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'FragmentSpread', name: { kind: 'Name', value: 'StoredKeyFields' } },
                { kind: 'Field', name: { kind: 'Name', value: 'origin' } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<VerifyGlobalKeyMutation, VerifyGlobalKeyMutationVariables>;
export const RemoveWorkspaceKeyDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'mutation',
      name: { kind: 'Name', value: 'RemoveWorkspaceKey' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'workspaceId' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'ID' } } },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'provider' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'Provider' } } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'removeWorkspaceKey' },
            arguments: [
              { kind: 'Argument', name: { kind: 'Name', value: 'workspaceId' }, value: { kind: 'Variable', name: { kind: 'Name', value: 'workspaceId' } } },
              { kind: 'Argument', name: { kind: 'Name', value: 'provider' }, value: { kind: 'Variable', name: { kind: 'Name', value: 'provider' } } },
            ],
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<RemoveWorkspaceKeyMutation, RemoveWorkspaceKeyMutationVariables>;
export const SetWorkspaceKeyDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'mutation',
      name: { kind: 'Name', value: 'SetWorkspaceKey' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'workspaceId' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'ID' } } },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'provider' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'Provider' } } },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'apiKey' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'String' } } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'setWorkspaceKey' },
            arguments: [
              { kind: 'Argument', name: { kind: 'Name', value: 'workspaceId' }, value: { kind: 'Variable', name: { kind: 'Name', value: 'workspaceId' } } },
              { kind: 'Argument', name: { kind: 'Name', value: 'provider' }, value: { kind: 'Variable', name: { kind: 'Name', value: 'provider' } } },
              { kind: 'Argument', name: { kind: 'Name', value: 'apiKey' }, value: { kind: 'Variable', name: { kind: 'Name', value: 'apiKey' } } },
            ],
            selectionSet: { kind: 'SelectionSet', selections: [{ kind: 'FragmentSpread', name: { kind: 'Name', value: 'StoredKeyFields' } }] },
          },
        ],
      },
    },
    {
      kind: 'FragmentDefinition',
      name: { kind: 'Name', value: 'StoredKeyFields' },
      typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'StoredKey' } },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'Field', name: { kind: 'Name', value: 'masked' } },
          { kind: 'Field', name: { kind: 'Name', value: 'fingerprint' } },
          { kind: 'Field', name: { kind: 'Name', value: 'status' } },
          { kind: 'Field', name: { kind: 'Name', value: 'active' } },
          { kind: 'Field', name: { kind: 'Name', value: 'lastVerifiedAt' } },
          { kind: 'Field', name: { kind: 'Name', value: 'lastError' } },
          { kind: 'Field', name: { kind: 'Name', value: 'updatedAt' } },
        ],
      },
    },
  ],
} as unknown as DocumentNode<SetWorkspaceKeyMutation, SetWorkspaceKeyMutationVariables>;
export const VerifyWorkspaceKeyDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'mutation',
      name: { kind: 'Name', value: 'VerifyWorkspaceKey' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'workspaceId' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'ID' } } },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'provider' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'Provider' } } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'verifyWorkspaceKey' },
            arguments: [
              { kind: 'Argument', name: { kind: 'Name', value: 'workspaceId' }, value: { kind: 'Variable', name: { kind: 'Name', value: 'workspaceId' } } },
              { kind: 'Argument', name: { kind: 'Name', value: 'provider' }, value: { kind: 'Variable', name: { kind: 'Name', value: 'provider' } } },
            ],
            selectionSet: { kind: 'SelectionSet', selections: [{ kind: 'FragmentSpread', name: { kind: 'Name', value: 'StoredKeyFields' } }] },
          },
        ],
      },
    },
    {
      kind: 'FragmentDefinition',
      name: { kind: 'Name', value: 'StoredKeyFields' },
      typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'StoredKey' } },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'Field', name: { kind: 'Name', value: 'masked' } },
          { kind: 'Field', name: { kind: 'Name', value: 'fingerprint' } },
          { kind: 'Field', name: { kind: 'Name', value: 'status' } },
          { kind: 'Field', name: { kind: 'Name', value: 'active' } },
          { kind: 'Field', name: { kind: 'Name', value: 'lastVerifiedAt' } },
          { kind: 'Field', name: { kind: 'Name', value: 'lastError' } },
          { kind: 'Field', name: { kind: 'Name', value: 'updatedAt' } },
        ],
      },
    },
  ],
} as unknown as DocumentNode<VerifyWorkspaceKeyMutation, VerifyWorkspaceKeyMutationVariables>;
export const WorkspaceProvidersDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'query',
      name: { kind: 'Name', value: 'WorkspaceProviders' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'ID' } } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'workspace' },
            arguments: [{ kind: 'Argument', name: { kind: 'Name', value: 'id' }, value: { kind: 'Variable', name: { kind: 'Name', value: 'id' } } }],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'providers' },
                  selectionSet: { kind: 'SelectionSet', selections: [{ kind: 'FragmentSpread', name: { kind: 'Name', value: 'WorkspaceProviderFields' } }] },
                },
              ],
            },
          },
        ],
      },
    },
    {
      kind: 'FragmentDefinition',
      name: { kind: 'Name', value: 'StoredKeyFields' },
      typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'StoredKey' } },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'Field', name: { kind: 'Name', value: 'masked' } },
          { kind: 'Field', name: { kind: 'Name', value: 'fingerprint' } },
          { kind: 'Field', name: { kind: 'Name', value: 'status' } },
          { kind: 'Field', name: { kind: 'Name', value: 'active' } },
          { kind: 'Field', name: { kind: 'Name', value: 'lastVerifiedAt' } },
          { kind: 'Field', name: { kind: 'Name', value: 'lastError' } },
          { kind: 'Field', name: { kind: 'Name', value: 'updatedAt' } },
        ],
      },
    },
    {
      kind: 'FragmentDefinition',
      name: { kind: 'Name', value: 'WorkspaceProviderFields' },
      typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'WorkspaceProvider' } },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'Field', name: { kind: 'Name', value: 'workspaceId' } },
          { kind: 'Field', name: { kind: 'Name', value: 'provider' } },
          { kind: 'Field', name: { kind: 'Name', value: 'byokEnabled' } },
          { kind: 'Field', name: { kind: 'Name', value: 'source' } },
          { kind: 'Field', name: { kind: 'Name', value: 'sourceReason' } },
          { kind: 'Field', name: { kind: 'Name', value: 'sourceKeyStatus' } },
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'customKey' },
            selectionSet: { kind: 'SelectionSet', selections: [{ kind: 'FragmentSpread', name: { kind: 'Name', value: 'StoredKeyFields' } }] },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<WorkspaceProvidersQuery, WorkspaceProvidersQueryVariables>;
export const PlatformUsageDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'query',
      name: { kind: 'Name', value: 'PlatformUsage' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'from' } },
          type: { kind: 'NamedType', name: { kind: 'Name', value: 'DateTime' } },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'to' } },
          type: { kind: 'NamedType', name: { kind: 'Name', value: 'DateTime' } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'platformUsage' },
            arguments: [
              { kind: 'Argument', name: { kind: 'Name', value: 'from' }, value: { kind: 'Variable', name: { kind: 'Name', value: 'from' } } },
              { kind: 'Argument', name: { kind: 'Name', value: 'to' }, value: { kind: 'Variable', name: { kind: 'Name', value: 'to' } } },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'from' } },
                { kind: 'Field', name: { kind: 'Name', value: 'to' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'totals' },
                  selectionSet: { kind: 'SelectionSet', selections: [{ kind: 'FragmentSpread', name: { kind: 'Name', value: 'UsageTotalsFields' } }] },
                },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'onGlobalKey' },
                  selectionSet: { kind: 'SelectionSet', selections: [{ kind: 'FragmentSpread', name: { kind: 'Name', value: 'UsageTotalsFields' } }] },
                },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'onWorkspaceKey' },
                  selectionSet: { kind: 'SelectionSet', selections: [{ kind: 'FragmentSpread', name: { kind: 'Name', value: 'UsageTotalsFields' } }] },
                },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'byProvider' },
                  selectionSet: { kind: 'SelectionSet', selections: [{ kind: 'FragmentSpread', name: { kind: 'Name', value: 'ProviderUsageFields' } }] },
                },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'daily' },
                  selectionSet: { kind: 'SelectionSet', selections: [{ kind: 'FragmentSpread', name: { kind: 'Name', value: 'UsageDayFields' } }] },
                },
              ],
            },
          },
        ],
      },
    },
    {
      kind: 'FragmentDefinition',
      name: { kind: 'Name', value: 'UsageTotalsFields' },
      typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'UsageTotals' } },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'Field', name: { kind: 'Name', value: 'requests' } },
          { kind: 'Field', name: { kind: 'Name', value: 'failures' } },
          { kind: 'Field', name: { kind: 'Name', value: 'cancelled' } },
          { kind: 'Field', name: { kind: 'Name', value: 'inputTokens' } },
          { kind: 'Field', name: { kind: 'Name', value: 'outputTokens' } },
          { kind: 'Field', name: { kind: 'Name', value: 'costMicroUsd' } },
        ],
      },
    },
    {
      kind: 'FragmentDefinition',
      name: { kind: 'Name', value: 'ProviderUsageFields' },
      typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'ProviderUsage' } },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'Field', name: { kind: 'Name', value: 'provider' } },
          { kind: 'Field', name: { kind: 'Name', value: 'keySource' } },
          { kind: 'Field', name: { kind: 'Name', value: 'requests' } },
          { kind: 'Field', name: { kind: 'Name', value: 'failures' } },
          { kind: 'Field', name: { kind: 'Name', value: 'inputTokens' } },
          { kind: 'Field', name: { kind: 'Name', value: 'outputTokens' } },
          { kind: 'Field', name: { kind: 'Name', value: 'costMicroUsd' } },
        ],
      },
    },
    {
      kind: 'FragmentDefinition',
      name: { kind: 'Name', value: 'UsageDayFields' },
      typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'UsageDay' } },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'Field', name: { kind: 'Name', value: 'date' } },
          { kind: 'Field', name: { kind: 'Name', value: 'requests' } },
          { kind: 'Field', name: { kind: 'Name', value: 'globalCostMicroUsd' } },
          { kind: 'Field', name: { kind: 'Name', value: 'workspaceCostMicroUsd' } },
        ],
      },
    },
  ],
} as unknown as DocumentNode<PlatformUsageQuery, PlatformUsageQueryVariables>;
export const UsageReportDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'query',
      name: { kind: 'Name', value: 'UsageReport' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'from' } },
          type: { kind: 'NamedType', name: { kind: 'Name', value: 'DateTime' } },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'to' } },
          type: { kind: 'NamedType', name: { kind: 'Name', value: 'DateTime' } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'usageReport' },
            arguments: [
              { kind: 'Argument', name: { kind: 'Name', value: 'from' }, value: { kind: 'Variable', name: { kind: 'Name', value: 'from' } } },
              { kind: 'Argument', name: { kind: 'Name', value: 'to' }, value: { kind: 'Variable', name: { kind: 'Name', value: 'to' } } },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'workspaceId' } },
                { kind: 'Field', name: { kind: 'Name', value: 'workspaceName' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'totals' },
                  selectionSet: { kind: 'SelectionSet', selections: [{ kind: 'FragmentSpread', name: { kind: 'Name', value: 'UsageTotalsFields' } }] },
                },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'onGlobalKey' },
                  selectionSet: { kind: 'SelectionSet', selections: [{ kind: 'FragmentSpread', name: { kind: 'Name', value: 'UsageTotalsFields' } }] },
                },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'onWorkspaceKey' },
                  selectionSet: { kind: 'SelectionSet', selections: [{ kind: 'FragmentSpread', name: { kind: 'Name', value: 'UsageTotalsFields' } }] },
                },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'byProvider' },
                  selectionSet: { kind: 'SelectionSet', selections: [{ kind: 'FragmentSpread', name: { kind: 'Name', value: 'ProviderUsageFields' } }] },
                },
              ],
            },
          },
        ],
      },
    },
    {
      kind: 'FragmentDefinition',
      name: { kind: 'Name', value: 'UsageTotalsFields' },
      typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'UsageTotals' } },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'Field', name: { kind: 'Name', value: 'requests' } },
          { kind: 'Field', name: { kind: 'Name', value: 'failures' } },
          { kind: 'Field', name: { kind: 'Name', value: 'cancelled' } },
          { kind: 'Field', name: { kind: 'Name', value: 'inputTokens' } },
          { kind: 'Field', name: { kind: 'Name', value: 'outputTokens' } },
          { kind: 'Field', name: { kind: 'Name', value: 'costMicroUsd' } },
        ],
      },
    },
    {
      kind: 'FragmentDefinition',
      name: { kind: 'Name', value: 'ProviderUsageFields' },
      typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'ProviderUsage' } },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'Field', name: { kind: 'Name', value: 'provider' } },
          { kind: 'Field', name: { kind: 'Name', value: 'keySource' } },
          { kind: 'Field', name: { kind: 'Name', value: 'requests' } },
          { kind: 'Field', name: { kind: 'Name', value: 'failures' } },
          { kind: 'Field', name: { kind: 'Name', value: 'inputTokens' } },
          { kind: 'Field', name: { kind: 'Name', value: 'outputTokens' } },
          { kind: 'Field', name: { kind: 'Name', value: 'costMicroUsd' } },
        ],
      },
    },
  ],
} as unknown as DocumentNode<UsageReportQuery, UsageReportQueryVariables>;
export const WorkspaceUsageDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'query',
      name: { kind: 'Name', value: 'WorkspaceUsage' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'ID' } } },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'from' } },
          type: { kind: 'NamedType', name: { kind: 'Name', value: 'DateTime' } },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'to' } },
          type: { kind: 'NamedType', name: { kind: 'Name', value: 'DateTime' } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'workspace' },
            arguments: [{ kind: 'Argument', name: { kind: 'Name', value: 'id' }, value: { kind: 'Variable', name: { kind: 'Name', value: 'id' } } }],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'usage' },
                  arguments: [
                    { kind: 'Argument', name: { kind: 'Name', value: 'from' }, value: { kind: 'Variable', name: { kind: 'Name', value: 'from' } } },
                    { kind: 'Argument', name: { kind: 'Name', value: 'to' }, value: { kind: 'Variable', name: { kind: 'Name', value: 'to' } } },
                  ],
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'from' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'to' } },
                      {
                        kind: 'Field',
                        name: { kind: 'Name', value: 'totals' },
                        selectionSet: { kind: 'SelectionSet', selections: [{ kind: 'FragmentSpread', name: { kind: 'Name', value: 'UsageTotalsFields' } }] },
                      },
                      {
                        kind: 'Field',
                        name: { kind: 'Name', value: 'onGlobalKey' },
                        selectionSet: { kind: 'SelectionSet', selections: [{ kind: 'FragmentSpread', name: { kind: 'Name', value: 'UsageTotalsFields' } }] },
                      },
                      {
                        kind: 'Field',
                        name: { kind: 'Name', value: 'onWorkspaceKey' },
                        selectionSet: { kind: 'SelectionSet', selections: [{ kind: 'FragmentSpread', name: { kind: 'Name', value: 'UsageTotalsFields' } }] },
                      },
                      {
                        kind: 'Field',
                        name: { kind: 'Name', value: 'byProvider' },
                        selectionSet: { kind: 'SelectionSet', selections: [{ kind: 'FragmentSpread', name: { kind: 'Name', value: 'ProviderUsageFields' } }] },
                      },
                      {
                        kind: 'Field',
                        name: { kind: 'Name', value: 'daily' },
                        selectionSet: { kind: 'SelectionSet', selections: [{ kind: 'FragmentSpread', name: { kind: 'Name', value: 'UsageDayFields' } }] },
                      },
                    ],
                  },
                },
              ],
            },
          },
        ],
      },
    },
    {
      kind: 'FragmentDefinition',
      name: { kind: 'Name', value: 'UsageTotalsFields' },
      typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'UsageTotals' } },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'Field', name: { kind: 'Name', value: 'requests' } },
          { kind: 'Field', name: { kind: 'Name', value: 'failures' } },
          { kind: 'Field', name: { kind: 'Name', value: 'cancelled' } },
          { kind: 'Field', name: { kind: 'Name', value: 'inputTokens' } },
          { kind: 'Field', name: { kind: 'Name', value: 'outputTokens' } },
          { kind: 'Field', name: { kind: 'Name', value: 'costMicroUsd' } },
        ],
      },
    },
    {
      kind: 'FragmentDefinition',
      name: { kind: 'Name', value: 'ProviderUsageFields' },
      typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'ProviderUsage' } },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'Field', name: { kind: 'Name', value: 'provider' } },
          { kind: 'Field', name: { kind: 'Name', value: 'keySource' } },
          { kind: 'Field', name: { kind: 'Name', value: 'requests' } },
          { kind: 'Field', name: { kind: 'Name', value: 'failures' } },
          { kind: 'Field', name: { kind: 'Name', value: 'inputTokens' } },
          { kind: 'Field', name: { kind: 'Name', value: 'outputTokens' } },
          { kind: 'Field', name: { kind: 'Name', value: 'costMicroUsd' } },
        ],
      },
    },
    {
      kind: 'FragmentDefinition',
      name: { kind: 'Name', value: 'UsageDayFields' },
      typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'UsageDay' } },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'Field', name: { kind: 'Name', value: 'date' } },
          { kind: 'Field', name: { kind: 'Name', value: 'requests' } },
          { kind: 'Field', name: { kind: 'Name', value: 'globalCostMicroUsd' } },
          { kind: 'Field', name: { kind: 'Name', value: 'workspaceCostMicroUsd' } },
        ],
      },
    },
  ],
} as unknown as DocumentNode<WorkspaceUsageQuery, WorkspaceUsageQueryVariables>;
export const AddWorkspaceMemberDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'mutation',
      name: { kind: 'Name', value: 'AddWorkspaceMember' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'workspaceId' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'ID' } } },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'email' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'String' } } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'addWorkspaceMember' },
            arguments: [
              { kind: 'Argument', name: { kind: 'Name', value: 'workspaceId' }, value: { kind: 'Variable', name: { kind: 'Name', value: 'workspaceId' } } },
              { kind: 'Argument', name: { kind: 'Name', value: 'email' }, value: { kind: 'Variable', name: { kind: 'Name', value: 'email' } } },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'role' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'user' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'email' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'name' } },
                    ],
                  },
                },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<AddWorkspaceMemberMutation, AddWorkspaceMemberMutationVariables>;
export const CreateWorkspaceDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'mutation',
      name: { kind: 'Name', value: 'CreateWorkspace' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'name' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'String' } } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'createWorkspace' },
            arguments: [{ kind: 'Argument', name: { kind: 'Name', value: 'name' }, value: { kind: 'Variable', name: { kind: 'Name', value: 'name' } } }],
            selectionSet: { kind: 'SelectionSet', selections: [{ kind: 'FragmentSpread', name: { kind: 'Name', value: 'WorkspaceSummary' } }] },
          },
        ],
      },
    },
    {
      kind: 'FragmentDefinition',
      name: { kind: 'Name', value: 'WorkspaceSummary' },
      typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'Workspace' } },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'Field', name: { kind: 'Name', value: 'id' } },
          { kind: 'Field', name: { kind: 'Name', value: 'name' } },
          { kind: 'Field', name: { kind: 'Name', value: 'viewerRole' } },
        ],
      },
    },
  ],
} as unknown as DocumentNode<CreateWorkspaceMutation, CreateWorkspaceMutationVariables>;
export const RemoveWorkspaceMemberDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'mutation',
      name: { kind: 'Name', value: 'RemoveWorkspaceMember' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'workspaceId' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'ID' } } },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'userId' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'ID' } } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'removeWorkspaceMember' },
            arguments: [
              { kind: 'Argument', name: { kind: 'Name', value: 'workspaceId' }, value: { kind: 'Variable', name: { kind: 'Name', value: 'workspaceId' } } },
              { kind: 'Argument', name: { kind: 'Name', value: 'userId' }, value: { kind: 'Variable', name: { kind: 'Name', value: 'userId' } } },
            ],
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<RemoveWorkspaceMemberMutation, RemoveWorkspaceMemberMutationVariables>;
export const WorkspaceMembersDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'query',
      name: { kind: 'Name', value: 'WorkspaceMembers' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'ID' } } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'workspace' },
            arguments: [{ kind: 'Argument', name: { kind: 'Name', value: 'id' }, value: { kind: 'Variable', name: { kind: 'Name', value: 'id' } } }],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'FragmentSpread', name: { kind: 'Name', value: 'WorkspaceSummary' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'members' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'role' } },
                      {
                        kind: 'Field',
                        name: { kind: 'Name', value: 'user' },
                        selectionSet: {
                          kind: 'SelectionSet',
                          selections: [
                            { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                            { kind: 'Field', name: { kind: 'Name', value: 'email' } },
                            { kind: 'Field', name: { kind: 'Name', value: 'name' } },
                          ],
                        },
                      },
                    ],
                  },
                },
              ],
            },
          },
        ],
      },
    },
    {
      kind: 'FragmentDefinition',
      name: { kind: 'Name', value: 'WorkspaceSummary' },
      typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'Workspace' } },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'Field', name: { kind: 'Name', value: 'id' } },
          { kind: 'Field', name: { kind: 'Name', value: 'name' } },
          { kind: 'Field', name: { kind: 'Name', value: 'viewerRole' } },
        ],
      },
    },
  ],
} as unknown as DocumentNode<WorkspaceMembersQuery, WorkspaceMembersQueryVariables>;
export const WorkspaceDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'query',
      name: { kind: 'Name', value: 'Workspace' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'ID' } } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'workspace' },
            arguments: [{ kind: 'Argument', name: { kind: 'Name', value: 'id' }, value: { kind: 'Variable', name: { kind: 'Name', value: 'id' } } }],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'FragmentSpread', name: { kind: 'Name', value: 'WorkspaceSummary' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'members' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'role' } },
                      {
                        kind: 'Field',
                        name: { kind: 'Name', value: 'user' },
                        selectionSet: {
                          kind: 'SelectionSet',
                          selections: [
                            { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                            { kind: 'Field', name: { kind: 'Name', value: 'name' } },
                          ],
                        },
                      },
                    ],
                  },
                },
              ],
            },
          },
        ],
      },
    },
    {
      kind: 'FragmentDefinition',
      name: { kind: 'Name', value: 'WorkspaceSummary' },
      typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'Workspace' } },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'Field', name: { kind: 'Name', value: 'id' } },
          { kind: 'Field', name: { kind: 'Name', value: 'name' } },
          { kind: 'Field', name: { kind: 'Name', value: 'viewerRole' } },
        ],
      },
    },
  ],
} as unknown as DocumentNode<WorkspaceQuery, WorkspaceQueryVariables>;
export const WorkspacesDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'query',
      name: { kind: 'Name', value: 'Workspaces' },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'workspaces' },
            selectionSet: { kind: 'SelectionSet', selections: [{ kind: 'FragmentSpread', name: { kind: 'Name', value: 'WorkspaceSummary' } }] },
          },
        ],
      },
    },
    {
      kind: 'FragmentDefinition',
      name: { kind: 'Name', value: 'WorkspaceSummary' },
      typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'Workspace' } },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'Field', name: { kind: 'Name', value: 'id' } },
          { kind: 'Field', name: { kind: 'Name', value: 'name' } },
          { kind: 'Field', name: { kind: 'Name', value: 'viewerRole' } },
        ],
      },
    },
  ],
} as unknown as DocumentNode<WorkspacesQuery, WorkspacesQueryVariables>;
