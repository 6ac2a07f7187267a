import { registerEnumType } from 'type-graphql';
import { KEY_SOURCES, KEY_STATUSES, PROVIDER_IDS, WORKSPACE_ROLES, type ProviderId } from '@byok/shared';

/**
 * The object TypeGraphQL registers for a shared const array: each value maps to itself, so the GraphQL
 * enum's names and values are the array's strings and the TypeScript type stays the shared union.
 */
export function enumObject<const T extends string>(values: readonly T[]): { readonly [K in T]: K } {
  return Object.fromEntries(values.map((value) => [value, value])) as { [K in T]: K };
}

// GraphQL enums generated from the shared registry: adding a provider there adds it here.
export const Provider = enumObject(PROVIDER_IDS);
export type Provider = ProviderId;
registerEnumType(Provider, { name: 'Provider', description: 'An AI provider' });

export const KeySource = enumObject(KEY_SOURCES);
export type KeySource = (typeof KEY_SOURCES)[number];
registerEnumType(KeySource, { name: 'KeySource', description: 'Which key an AI request uses: the workspace’s own, the platform’s, or none' });

export const WorkspaceRole = enumObject(WORKSPACE_ROLES);
export type WorkspaceRole = (typeof WORKSPACE_ROLES)[number];
registerEnumType(WorkspaceRole, { name: 'WorkspaceRole' });

export const KeyStatus = enumObject(KEY_STATUSES);
export type KeyStatus = (typeof KEY_STATUSES)[number];
registerEnumType(KeyStatus, {
  name: 'KeyStatus',
  valuesConfig: {
    UNREADABLE: { description: "The server's encryption keys cannot open the stored key (KEY_UNREADABLE): requests fail until it is set again" },
  },
});
