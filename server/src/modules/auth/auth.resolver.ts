import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../../graphql/context';
import { clearSessionCookie, setSessionCookie } from '../../http/session-cookie';
import { UserType } from '../users/user.type';
import { AuthPayloadType } from './auth.type';

@Resolver()
export class AuthResolver {
  @Query(() => UserType, { nullable: true, description: 'The signed-in user, or null' })
  async me(@Ctx() context: GraphQLContext): Promise<UserType | null> {
    if (!context.viewer) return null;
    const user = await context.services.users.findById(context.viewer.userId);
    return user ? UserType.present(user) : null;
  }

  @Mutation(() => AuthPayloadType, { description: 'Creates an account and a workspace owned by it, and signs in' })
  async signUp(
    @Arg('email', () => String) email: string,
    @Arg('password', () => String) password: string,
    @Arg('name', () => String) name: string,
    @Ctx() context: GraphQLContext,
  ): Promise<AuthPayloadType> {
    const signedIn = await context.services.auth.signUp(email, password, name);
    setSessionCookie(context, signedIn.token, signedIn.expiresAt);
    return { token: signedIn.token, user: UserType.present(signedIn.user) };
  }

  @Mutation(() => AuthPayloadType)
  async signIn(
    @Arg('email', () => String) email: string,
    @Arg('password', () => String) password: string,
    @Ctx() context: GraphQLContext,
  ): Promise<AuthPayloadType> {
    const signedIn = await context.services.auth.signIn(email, password, context.req?.ip ?? null);
    setSessionCookie(context, signedIn.token, signedIn.expiresAt);
    return { token: signedIn.token, user: UserType.present(signedIn.user) };
  }

  @Authorized()
  @Mutation(() => Boolean, { description: 'Ends the current session (an API token is revoked with revokeApiToken instead)' })
  async signOut(@Ctx() context: GraphQLContext): Promise<boolean> {
    await context.services.auth.signOut(context.viewer!);
    clearSessionCookie(context);
    return true;
  }
}
