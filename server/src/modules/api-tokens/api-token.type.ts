import { Field, ID, ObjectType } from 'type-graphql';
import type { ApiTokenEntity } from './api-token.entity';

@ObjectType('ApiToken', { description: 'A personal API token. The token itself is never shown again after creation.' })
export class ApiTokenType {
  @Field(() => ID)
  id: string;

  @Field(() => String)
  name: string;

  @Field(() => String, { description: 'The first characters of the token, to recognise it' })
  prefix: string;

  @Field(() => ID, {
    nullable: true,
    description: 'The workspace this token is bound to (gateway requests need no X-Byok-Workspace header); null when unbound',
  })
  workspaceId: string | null;

  @Field(() => String, { nullable: true, description: "The bound workspace's name, as the token's owner sees it" })
  workspaceName: string | null;

  @Field(() => Date)
  createdAt: Date;

  @Field(() => Date, { nullable: true })
  lastUsedAt: Date | null;

  @Field(() => Date, { nullable: true })
  revokedAt: Date | null;

  static present(token: ApiTokenEntity): ApiTokenType {
    return Object.assign(new ApiTokenType(), {
      id: token.id,
      name: token.name,
      prefix: token.prefix,
      workspaceId: token.workspaceId,
      workspaceName: token.workspace?.name ?? null,
      createdAt: token.createdAt,
      lastUsedAt: token.lastUsedAt,
      revokedAt: token.revokedAt,
    });
  }
}

@ObjectType('CreatedApiToken')
export class CreatedApiTokenType {
  @Field(() => String, { description: 'The token in full. Shown once: store it now.' })
  token: string;

  @Field(() => ApiTokenType)
  apiToken: ApiTokenType;
}
