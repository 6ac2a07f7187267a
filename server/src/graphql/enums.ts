import { registerEnumType } from 'type-graphql';
import { PROVIDER_IDS, type ProviderId } from '@byok/shared';

// GraphQL enums generated from the shared registry: adding a provider there adds it here.
export const Provider = Object.fromEntries(PROVIDER_IDS.map((id) => [id, id])) as { [K in ProviderId]: K };
registerEnumType(Provider, { name: 'Provider', description: 'An AI provider' });

export enum KeySource {
  WORKSPACE = 'WORKSPACE',
  GLOBAL = 'GLOBAL',
  NONE = 'NONE',
}
registerEnumType(KeySource, { name: 'KeySource', description: 'Which key an AI request uses: the workspace’s own, the platform’s, or none' });

export enum WorkspaceRole {
  OWNER = 'OWNER',
  MEMBER = 'MEMBER',
}
registerEnumType(WorkspaceRole, { name: 'WorkspaceRole' });

export enum KeyStatus {
  UNVERIFIED = 'UNVERIFIED',
  VALID = 'VALID',
  INVALID = 'INVALID',
  UNREADABLE = 'UNREADABLE',
}
registerEnumType(KeyStatus, {
  name: 'KeyStatus',
  valuesConfig: {
    UNREADABLE: { description: "The server's encryption keys cannot open the stored key (KEY_UNREADABLE): requests fail until it is set again" },
  },
});
