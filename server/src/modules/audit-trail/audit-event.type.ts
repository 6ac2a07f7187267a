import { AUDIT_OUTCOMES, isProviderId, type ProviderId } from '@byok/shared';
import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { PageInfoType } from '../../graphql/connection';
import { enumObject, Provider } from '../../graphql/enums';
import type { AuditEventPage, AuditEventView } from './audit-log.service';

export const AuditOutcome = enumObject(AUDIT_OUTCOMES);
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];
registerEnumType(AuditOutcome, { name: 'AuditOutcome' });

@ObjectType('AuditActor', { description: 'Who made a change: their email at that time, and their id' })
export class AuditActorType {
  @Field(() => ID, { nullable: true })
  userId: string | null;

  @Field(() => String, { nullable: true })
  email: string | null;
}

/** One append-only audit record (R10). Holds fingerprints, never keys. */
@ObjectType('AuditEvent')
export class AuditEventType {
  @Field(() => ID)
  id: string;

  @Field(() => Date)
  occurredAt: Date;

  @Field(() => AuditActorType, { nullable: true, description: 'null for changes made by the system' })
  actor: AuditActorType | null;

  @Field(() => String, { description: 'e.g. INTEGRATION_BYOK_DISABLED, GLOBAL_KEY_SET, WORKSPACE_KEY_REPLACED, MEMBER_ADDED' })
  action: string;

  @Field(() => Provider, { nullable: true })
  provider: ProviderId | null;

  @Field(() => ID, { nullable: true })
  workspaceId: string | null;

  @Field(() => String, { nullable: true, description: "The workspace's current name (null if it no longer exists)" })
  workspaceName: string | null;

  @Field(() => ID, { nullable: true })
  targetUserId: string | null;

  @Field(() => String, { nullable: true, description: "The target user's current email, for membership changes" })
  targetUserEmail: string | null;

  @Field(() => String, { nullable: true, description: 'Fingerprint of the key concerned (never the key)' })
  fingerprint: string | null;

  @Field(() => AuditOutcome)
  outcome: AuditOutcome;

  @Field(() => GraphQLJSONObject, { description: 'Key-free details, e.g. { "workspacesAffected": 3 }' })
  details: Record<string, unknown>;

  static present(view: AuditEventView): AuditEventType {
    const { event } = view;
    return Object.assign(new AuditEventType(), {
      id: event.id,
      occurredAt: event.occurredAt,
      actor: event.actorUserId || event.actorEmail ? Object.assign(new AuditActorType(), { userId: event.actorUserId, email: event.actorEmail }) : null,
      action: event.action,
      provider: isProviderId(event.provider) ? event.provider : null,
      workspaceId: event.workspaceId,
      workspaceName: view.workspaceName,
      targetUserId: event.targetUserId,
      targetUserEmail: view.targetUserEmail,
      fingerprint: event.fingerprint,
      outcome: event.outcome === 'FAILURE' ? AuditOutcome.FAILURE : AuditOutcome.SUCCESS,
      details: event.details,
    });
  }
}

@ObjectType('AuditEventEdge')
export class AuditEventEdgeType {
  @Field(() => String)
  cursor: string;

  @Field(() => AuditEventType)
  node: AuditEventType;
}

@ObjectType('AuditEventConnection', { description: 'Audit events, newest first' })
export class AuditEventConnectionType {
  @Field(() => [AuditEventEdgeType])
  edges: AuditEventEdgeType[];

  @Field(() => [AuditEventType])
  nodes: AuditEventType[];

  @Field(() => PageInfoType)
  pageInfo: PageInfoType;

  @Field(() => Int, { description: 'Events matching the filters, all pages together' })
  totalCount: number;

  static present(page: AuditEventPage): AuditEventConnectionType {
    const nodes = page.events.map(AuditEventType.present);
    return Object.assign(new AuditEventConnectionType(), {
      edges: nodes.map((node) => Object.assign(new AuditEventEdgeType(), { cursor: node.id, node })),
      nodes,
      pageInfo: page.pageInfo,
      totalCount: page.totalCount,
    });
  }
}
