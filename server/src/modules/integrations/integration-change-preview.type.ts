import { MOVE_OUTCOMES, type ProviderId } from '@byok/shared';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { enumObject, KeyStatus, Provider } from '../../graphql/enums';
import type { IntegrationChangePreviewView } from './integrations.service';

// Generated from the shared list, so the API and the screens name outcomes the same way.
export const MoveOutcome = enumObject(MOVE_OUTCOMES);
export type MoveOutcome = (typeof MOVE_OUTCOMES)[number];
registerEnumType(MoveOutcome, {
  name: 'MoveOutcome',
  description: "Where a workspace's requests go after a change: its own key, a working platform key, a rejected platform key, or no key",
});

@ObjectType('IntegrationChangeWorkspace', { description: 'One workspace that a proposed change moves to another key' })
export class IntegrationChangeWorkspaceType {
  @Field(() => ID)
  id: string;

  @Field(() => String)
  name: string;

  @Field(() => MoveOutcome)
  outcome: MoveOutcome;
}

@ObjectType('IntegrationChangePreview', {
  description: 'What turning BYOK on/off or clearing the platform key would do, per outcome, before it is done (platform admins only)',
})
export class IntegrationChangePreviewType {
  @Field(() => Provider)
  provider: ProviderId;

  @Field(() => Boolean, { description: 'The BYOK switch after the change' })
  byokEnabled: boolean;

  @Field(() => Boolean, { description: 'Whether a stored platform key would be cleared (false when none is stored)' })
  clearGlobalKey: boolean;

  @Field(() => KeyStatus, { nullable: true, description: 'Status of the platform key in effect after the change; null = there would be none' })
  platformKeyStatusAfter: KeyStatus | null;

  @Field(() => Int, { description: 'Workspaces whose requests would be paid by another key (or fail)' })
  workspacesMoving: number;

  @Field(() => Int, { description: 'Moving to their own key (BYOK turned on)' })
  toOwnKey: number;

  @Field(() => Int, { description: 'Moving to a platform key that works or is not checked yet' })
  toWorkingPlatformKey: number;

  @Field(() => Int, { description: 'Moving to a platform key the provider rejected: their requests will fail' })
  toRejectedPlatformKey: number;

  @Field(() => Int, { description: 'Left with no key: their requests will fail with PROVIDER_NOT_CONFIGURED' })
  toNoKey: number;

  @Field(() => [IntegrationChangeWorkspaceType], { description: 'The moving workspaces by name (at most 50; the counts are complete)' })
  workspaces: IntegrationChangeWorkspaceType[];

  static present(view: IntegrationChangePreviewView): IntegrationChangePreviewType {
    return Object.assign(new IntegrationChangePreviewType(), {
      ...view,
      workspaces: view.workspaces.map((workspace) => Object.assign(new IntegrationChangeWorkspaceType(), workspace)),
    });
  }
}
