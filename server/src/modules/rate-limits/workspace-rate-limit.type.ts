import { Field, Int, ObjectType } from 'type-graphql';
import type { WorkspaceRateLimitView } from './request-rate-limits.service';

/** The request-rate limits in effect for a workspace's AI requests (every AI path, all server processes). */
@ObjectType('WorkspaceRateLimit', {
  description: 'AI requests per minute allowed for a workspace and for each API token; over it, requests fail with RATE_LIMITED',
})
export class WorkspaceRateLimitType {
  @Field(() => Int, { nullable: true, description: 'Requests per minute for the whole workspace; null = no limit' })
  requestsPerMinute: number | null;

  @Field(() => Boolean, { description: "True when the workspace has no limit of its own and the platform's default (RATE_LIMIT_WORKSPACE_RPM) applies" })
  inherited: boolean;

  @Field(() => Int, { nullable: true, description: 'Requests per minute for each API token (RATE_LIMIT_TOKEN_RPM); null = no limit' })
  apiTokenRequestsPerMinute: number | null;

  static present(view: WorkspaceRateLimitView): WorkspaceRateLimitType {
    return Object.assign(new WorkspaceRateLimitType(), view);
  }
}
