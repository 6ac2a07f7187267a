import { KEY_SOURCE_REASONS, type ProviderId } from '@byok/shared';
import { Authorized, Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { AuthRole } from '../../auth/auth-checker';
import { enumObject, KeySource, KeyStatus, Provider } from '../../graphql/enums';
import type { WorkspaceProviderView } from './workspace-keys.service';
import { StoredKeyType } from './stored-key.type';

export const KeySourceReason = enumObject(KEY_SOURCE_REASONS);
export type KeySourceReason = (typeof KEY_SOURCE_REASONS)[number];
registerEnumType(KeySourceReason, { name: 'KeySourceReason', description: 'Why a workspace does not use its own key (see describeKeyResolution in shared)' });

/** One provider as seen from one workspace. `workspaceId` is what the auth checker reads to guard the fields (R6). */
@ObjectType('WorkspaceProvider')
export class WorkspaceProviderType {
  @Field(() => ID)
  workspaceId: string;

  @Field(() => Provider)
  provider: ProviderId;

  @Authorized(AuthRole.WORKSPACE_READER)
  @Field(() => Boolean)
  byokEnabled: boolean;

  @Authorized(AuthRole.WORKSPACE_READER)
  @Field(() => KeySource, { description: 'What an AI request would use right now' })
  source: KeySource;

  @Authorized(AuthRole.WORKSPACE_READER)
  @Field(() => KeySourceReason, { nullable: true, description: 'Why the source is GLOBAL or NONE; null when the workspace key is used' })
  sourceReason: KeySourceReason | null;

  @Authorized(AuthRole.WORKSPACE_READER)
  @Field(() => KeyStatus, {
    nullable: true,
    description:
      'Health of the key `source` points at: INVALID when the provider rejected it (requests fail until it is replaced). Null for NONE. Members see it; it reveals no key.',
  })
  sourceKeyStatus: KeyStatus | null;

  @Authorized(AuthRole.WORKSPACE_OWNER_OR_ADMIN)
  @Field(() => StoredKeyType, { nullable: true, description: "The workspace's own key (owner and platform admins only, R6)" })
  customKey: StoredKeyType | null;

  static present(view: WorkspaceProviderView): WorkspaceProviderType {
    return Object.assign(new WorkspaceProviderType(), {
      workspaceId: view.workspaceId,
      provider: view.provider,
      byokEnabled: view.byokEnabled,
      source: view.source,
      sourceReason: view.sourceReason,
      customKey: view.customKey ? StoredKeyType.present(view.customKey) : null,
      sourceKeyStatus: view.sourceKeyStatus,
    });
  }
}
