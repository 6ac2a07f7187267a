import type { ProviderId } from '@byok/shared';
import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { KeySource, Provider } from '../../graphql/enums';
import { pickTotals, USAGE_MEASURE_NAMES, USAGE_MEASURES, type UsageTotals } from './usage-measures';
import type { ModelUsage, OutcomeUsage, UsageBreakdown, UsageDay, UserUsage, WorkspaceUsage, ProviderUsage } from './usage.service';
import type { UsageRange } from './usage-range';

// Token and cost totals are Float because a year of a busy workspace can pass GraphQL's 32-bit Int;
// they are always whole numbers. Costs are micro-USD (1 USD = 1,000,000).

@ObjectType('UsageTotals', { description: 'Counts and sums over a set of AI requests' })
export class UsageTotalsType implements UsageTotals {
  // One property per measure (`implements` fails to compile without one); their GraphQL fields come from the table below.
  requests: number;
  failures: number;
  cancelled: number;
  inputTokens: number;
  outputTokens: number;
  costMicroUsd: number;

  static present(totals: UsageTotals): UsageTotalsType {
    return Object.assign(new UsageTotalsType(), pickTotals(totals));
  }
}

// Each measure's field, with its scalar and description, from USAGE_MEASURES (usage-measures.ts).
for (const name of USAGE_MEASURE_NAMES) {
  const { graphql } = USAGE_MEASURES[name];
  Field(() => (graphql.type === 'Int' ? Int : Float), 'description' in graphql ? { description: graphql.description } : {})(UsageTotalsType.prototype, name);
}

@ObjectType('ProviderUsage', { description: 'Usage of one provider paid by one key source' })
export class ProviderUsageType extends UsageTotalsType {
  @Field(() => Provider)
  provider: ProviderId;

  @Field(() => KeySource)
  keySource: KeySource;

  static presentRow(row: ProviderUsage): ProviderUsageType {
    return Object.assign(new ProviderUsageType(), UsageTotalsType.present(row), { provider: row.provider, keySource: row.keySource });
  }
}

@ObjectType('ModelUsage', { description: 'Usage of one model, whatever key paid' })
export class ModelUsageType extends UsageTotalsType {
  @Field(() => Provider)
  provider: ProviderId;

  @Field(() => String)
  model: string;

  static presentRow(row: ModelUsage): ModelUsageType {
    return Object.assign(new ModelUsageType(), UsageTotalsType.present(row), { provider: row.provider, model: row.model });
  }
}

@ObjectType('UserUsage', { description: 'Usage of one user (the person who made the requests)' })
export class UserUsageType extends UsageTotalsType {
  @Field(() => ID, { nullable: true, description: 'Null for requests made without a user' })
  userId: string | null;

  @Field(() => String, { nullable: true, description: 'Null for requests without a user, or a deleted account' })
  name: string | null;

  @Field(() => String, { nullable: true })
  email: string | null;

  static presentRow(row: UserUsage): UserUsageType {
    return Object.assign(new UserUsageType(), UsageTotalsType.present(row), { userId: row.userId, name: row.name, email: row.email });
  }
}

@ObjectType('OutcomeUsage', { description: "Requests that ended one way: 'OK', 'CANCELLED' or an error code" })
export class OutcomeUsageType extends UsageTotalsType {
  @Field(() => String)
  outcome: string;

  static presentRow(row: OutcomeUsage): OutcomeUsageType {
    return Object.assign(new OutcomeUsageType(), UsageTotalsType.present(row), { outcome: row.outcome });
  }
}

@ObjectType('UsageDay', { description: 'One UTC day of usage' })
export class UsageDayType {
  @Field(() => String, { description: 'YYYY-MM-DD (UTC)' })
  date: string;

  @Field(() => Int)
  requests: number;

  @Field(() => Float)
  inputTokens: number;

  @Field(() => Float)
  outputTokens: number;

  @Field(() => Float, { description: "Micro-USD spent on the platform's keys" })
  globalCostMicroUsd: number;

  @Field(() => Float, { description: "Micro-USD spent on the workspace's own keys" })
  workspaceCostMicroUsd: number;

  static present(day: UsageDay): UsageDayType {
    return Object.assign(new UsageDayType(), day);
  }
}

@ObjectType('UsageSummary', { description: "AI usage over [from, to): one workspace's, or the whole platform's (platformUsage)" })
export class UsageSummaryType {
  /** Not a field: lets `daily` run its own query only when selected. Null: the whole platform. */
  workspaceId: string | null;

  @Field(() => Date)
  from: Date;

  @Field(() => Date)
  to: Date;

  @Field(() => UsageTotalsType, { description: 'Every request, whatever paid for it' })
  totals: UsageTotalsType;

  @Field(() => UsageTotalsType, { description: "Requests paid by the platform's keys" })
  onGlobalKey: UsageTotalsType;

  @Field(() => UsageTotalsType, { description: "Requests paid by the workspace's own keys" })
  onWorkspaceKey: UsageTotalsType;

  @Field(() => [ProviderUsageType], { description: 'Totals by provider × key source (only combinations with requests)' })
  byProvider: ProviderUsageType[];

  static present(workspaceId: string | null, range: UsageRange, usage: UsageBreakdown): UsageSummaryType {
    return Object.assign(new UsageSummaryType(), {
      workspaceId,
      from: range.from,
      to: range.to,
      totals: UsageTotalsType.present(usage.total),
      onGlobalKey: UsageTotalsType.present(usage.onGlobalKey),
      onWorkspaceKey: UsageTotalsType.present(usage.onWorkspaceKey),
      byProvider: usage.byProvider.map(ProviderUsageType.presentRow),
    });
  }
}

@ObjectType('WorkspaceUsage', { description: "One workspace's spend on the platform's keys vs on its own keys (admin report)" })
export class WorkspaceUsageType {
  @Field(() => ID)
  workspaceId: string;

  @Field(() => String)
  workspaceName: string;

  @Field(() => UsageTotalsType)
  totals: UsageTotalsType;

  @Field(() => UsageTotalsType, { description: "Paid by the platform's keys" })
  onGlobalKey: UsageTotalsType;

  @Field(() => UsageTotalsType, { description: "Moved to the workspace's own keys" })
  onWorkspaceKey: UsageTotalsType;

  @Field(() => [ProviderUsageType])
  byProvider: ProviderUsageType[];

  static present(usage: WorkspaceUsage): WorkspaceUsageType {
    return Object.assign(new WorkspaceUsageType(), {
      workspaceId: usage.workspaceId,
      workspaceName: usage.workspaceName,
      totals: UsageTotalsType.present(usage.total),
      onGlobalKey: UsageTotalsType.present(usage.onGlobalKey),
      onWorkspaceKey: UsageTotalsType.present(usage.onWorkspaceKey),
      byProvider: usage.byProvider.map(ProviderUsageType.presentRow),
    });
  }
}
