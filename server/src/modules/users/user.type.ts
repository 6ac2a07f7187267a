import { Field, ID, ObjectType } from 'type-graphql';
import type { UserEntity } from './user.entity';

@ObjectType('User')
export class UserType {
  @Field(() => ID)
  id: string;

  @Field(() => String)
  email: string;

  @Field(() => String)
  name: string;

  @Field(() => Boolean)
  isAdmin: boolean;

  /** The only way a user leaves the server: no password hash, no throttle state. */
  static present(user: UserEntity): UserType {
    return Object.assign(new UserType(), { id: user.id, email: user.email, name: user.name, isAdmin: user.isAdmin });
  }
}
