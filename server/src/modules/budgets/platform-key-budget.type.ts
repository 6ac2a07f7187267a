import { Field, ObjectType } from 'type-graphql';
import type { PlatformKeyBudgetView } from './platform-key-budget.service';

/** SPEC §7: a monthly cap on what a workspace spends on the platform's keys, and this month's spend. */
@ObjectType('PlatformKeyBudget', { description: "A monthly cap (UTC calendar month) on spend on the platform's keys; own-key requests are never capped" })
export class PlatformKeyBudgetType {
  @Field(() => Number, { nullable: true, description: 'The cap in micro-dollars; null = no cap; 0 = the workspace must use its own keys' })
  monthlyLimitMicroUsd: number | null;

  @Field(() => Number, { description: "Spent on the platform's keys since periodStart, in micro-dollars (the default: all workspaces together)" })
  spentMicroUsd: number;

  @Field(() => Date, { description: 'Start of the current UTC calendar month' })
  periodStart: Date;

  @Field(() => Boolean, { description: "True when the workspace has no cap of its own and the platform's default applies" })
  inherited: boolean;

  @Field(() => Number, { nullable: true, description: 'Spend as a percentage of the cap (null when there is no cap or the cap is 0)' })
  percentUsed: number | null;

  static present(view: PlatformKeyBudgetView): PlatformKeyBudgetType {
    const limit = view.monthlyLimitMicroUsd;
    return Object.assign(new PlatformKeyBudgetType(), {
      monthlyLimitMicroUsd: limit,
      spentMicroUsd: view.spentMicroUsd,
      periodStart: view.periodStart,
      inherited: view.inherited,
      percentUsed: limit === null || limit === 0 ? null : Math.round((view.spentMicroUsd / limit) * 1000) / 10,
    });
  }
}
