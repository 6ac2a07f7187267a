import { Arg, Authorized, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { AuthRole } from '../../auth/auth-checker';
import { WorkspaceType } from '../workspaces/workspace.type';
import { resolveUsageRange } from './usage-range';
import type { UsageService } from './usage.service';
import { ModelUsageType, OutcomeUsageType, UsageDayType, UsageSummaryType, UserUsageType, WorkspaceUsageType } from './usage.type';

/** `Workspace.usage`: the owner and platform admins (R11). A member gets FORBIDDEN. */
@Resolver(() => WorkspaceType)
export class WorkspaceUsageResolver {
  constructor(private readonly usageService: UsageService) {}

  @Authorized(AuthRole.WORKSPACE_OWNER_OR_ADMIN)
  @FieldResolver(() => UsageSummaryType, {
    description: 'AI usage over [from, to) (default: the last 30 days; at most 366 days). Owner and platform admins only.',
  })
  async usage(
    @Root() workspace: WorkspaceType,
    @Arg('from', () => Date, { nullable: true }) from: Date | null,
    @Arg('to', () => Date, { nullable: true }) to: Date | null,
  ): Promise<UsageSummaryType> {
    const range = resolveUsageRange(from, to);
    return UsageSummaryType.present(workspace.id, range, await this.usageService.summary(workspace.id, range));
  }
}

@Resolver(() => UsageSummaryType)
export class UsageResolver {
  constructor(private readonly usageService: UsageService) {}

  @FieldResolver(() => [UsageDayType], { description: 'One entry per UTC day of the range, zero-filled, for charts' })
  async daily(@Root() summary: UsageSummaryType): Promise<UsageDayType[]> {
    const days = await this.usageService.daily(summary.workspaceId, { from: summary.from, to: summary.to });
    return days.map(UsageDayType.present);
  }

  @FieldResolver(() => [ModelUsageType], { description: 'Totals by provider and model, most expensive first' })
  async byModel(@Root() summary: UsageSummaryType): Promise<ModelUsageType[]> {
    const rows = await this.usageService.byModel(summary.workspaceId, { from: summary.from, to: summary.to });
    return rows.map(ModelUsageType.presentRow);
  }

  @FieldResolver(() => [UserUsageType], { description: 'Totals by the user who made the requests, most expensive first' })
  async byUser(@Root() summary: UsageSummaryType): Promise<UserUsageType[]> {
    const rows = await this.usageService.byUser(summary.workspaceId, { from: summary.from, to: summary.to });
    return rows.map(UserUsageType.presentRow);
  }

  @FieldResolver(() => [OutcomeUsageType], { description: "Totals by outcome ('OK', 'CANCELLED' or the error code), most frequent first" })
  async byOutcome(@Root() summary: UsageSummaryType): Promise<OutcomeUsageType[]> {
    const rows = await this.usageService.byOutcome(summary.workspaceId, { from: summary.from, to: summary.to });
    return rows.map(OutcomeUsageType.presentRow);
  }

  @Authorized(AuthRole.ADMIN)
  @Query(() => UsageSummaryType, {
    description: "Admin: the whole platform's usage over [from, to) (default: last 30 days): platform keys vs workspaces' own keys, by provider and by day",
  })
  async platformUsage(
    @Arg('from', () => Date, { nullable: true }) from: Date | null,
    @Arg('to', () => Date, { nullable: true }) to: Date | null,
  ): Promise<UsageSummaryType> {
    const range = resolveUsageRange(from, to);
    return UsageSummaryType.present(null, range, await this.usageService.summary(null, range));
  }

  @Authorized(AuthRole.ADMIN)
  @Query(() => [WorkspaceUsageType], {
    description: "Admin: per workspace, spend on the platform's keys vs spend moved to workspaces' own keys, over [from, to) (default: last 30 days)",
  })
  async usageReport(
    @Arg('from', () => Date, { nullable: true }) from: Date | null,
    @Arg('to', () => Date, { nullable: true }) to: Date | null,
  ): Promise<WorkspaceUsageType[]> {
    const report = await this.usageService.report(resolveUsageRange(from, to));
    return report.map(WorkspaceUsageType.present);
  }
}
