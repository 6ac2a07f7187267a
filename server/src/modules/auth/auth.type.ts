import { Field, ObjectType } from 'type-graphql';
import { UserType } from '../users/user.type';

@ObjectType('AuthPayload')
export class AuthPayloadType {
  /** Session token, shown once. The SPA uses the httpOnly cookie set alongside instead. */
  @Field(() => String)
  token: string;

  @Field(() => UserType)
  user: UserType;
}
