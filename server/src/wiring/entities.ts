import { ApiTokenEntity } from '../modules/api-tokens/api-token.entity';
import { AuditEventEntity } from '../modules/audit/audit-event.entity';
import { SessionEntity } from '../modules/auth/session.entity';
import { ProviderSettingEntity } from '../modules/provider-keys/provider-setting.entity';
import { ProviderKeyEntity } from '../modules/provider-keys/provider-key.entity';
import { UsageRecordEntity } from '../modules/usage/usage-record.entity';
import { UserEntity } from '../modules/users/user.entity';
import { MembershipEntity } from '../modules/workspaces/membership.entity';
import { WorkspaceEntity } from '../modules/workspaces/workspace.entity';

export const ENTITIES = [
  UserEntity,
  SessionEntity,
  ApiTokenEntity,
  WorkspaceEntity,
  MembershipEntity,
  ProviderSettingEntity,
  ProviderKeyEntity,
  AuditEventEntity,
  UsageRecordEntity,
];
