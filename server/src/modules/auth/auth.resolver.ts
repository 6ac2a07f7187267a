import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../../auth/context';
import { CurrentViewer, OptionalViewer } from '../../auth/current-viewer';
import type { Viewer } from '../../auth/viewer';
import type { UsersService } from '../users/users.service';
import { UserType } from '../users/user.type';
import type { AuthService } from './auth.service';
import { AuthPayloadType } from './auth.type';
import { clearSessionCookie, setSessionCookie } from './session-cookie';

@Resolver()
export class AuthResolver {
  constructor(
    private readonly authService: AuthService,
    private readonly usersService: UsersService,
  ) {}

  @Query(() => UserType, { nullable: true, description: 'The signed-in user, or null' })
  async me(@OptionalViewer() viewer: Viewer | null): Promise<UserType | null> {
    if (!viewer) return null;
    const user = await this.usersService.findById(viewer.userId);
    return user ? UserType.present(user) : null;
  }

  @Mutation(() => AuthPayloadType, { description: 'Creates an account and a workspace owned by it, and signs in' })
  async signUp(
    @Arg('email', () => String) email: string,
    @Arg('password', () => String) password: string,
    @Arg('name', () => String) name: string,
    @Ctx() context: GraphQLContext,
  ): Promise<AuthPayloadType> {
    const signedIn = await this.authService.signUp(email, password, name);
    setSessionCookie(context, signedIn.token, signedIn.expiresAt);
    return { token: signedIn.token, user: UserType.present(signedIn.user) };
  }

  @Mutation(() => AuthPayloadType)
  async signIn(
    @Arg('email', () => String) email: string,
    @Arg('password', () => String) password: string,
    @Ctx() context: GraphQLContext,
  ): Promise<AuthPayloadType> {
    const signedIn = await this.authService.signIn(email, password, context.req?.ip ?? null);
    setSessionCookie(context, signedIn.token, signedIn.expiresAt);
    return { token: signedIn.token, user: UserType.present(signedIn.user) };
  }

  @Authorized()
  @Mutation(() => Boolean, { description: 'Ends the current session (an API token is revoked with revokeApiToken instead)' })
  async signOut(@CurrentViewer() viewer: Viewer, @Ctx() context: GraphQLContext): Promise<boolean> {
    await this.authService.signOut(viewer);
    clearSessionCookie(context);
    return true;
  }
}
