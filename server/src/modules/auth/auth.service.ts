import { InvalidatedCache, type ChangeFeed } from '../../cache/change-feed';
import { randomBytes } from 'node:crypto';
import { type DataSource, type Repository } from 'typeorm';
import type { AppConfig } from '../../config/config';
import { generateToken, hashToken } from '../../crypto/tokens';
import { isUniqueViolation } from '../../database/unique-violation';
import { AppError } from '../../errors';
import type { Logger } from '../../logging/logger';
import type { Viewer } from '../../auth/viewer';
import type { AuditService } from '../audit/audit.service';
import { UserEntity } from '../users/user.entity';
import { burnPasswordCheck, hashPassword, verifyPassword } from '../users/passwords';
import { validateEmail, validateName, validatePassword, normaliseEmail } from '../users/user-input';
import { PasswordWorkLimiter } from '../users/password-work';
import { MembershipEntity } from '../workspaces/membership.entity';
import { WorkspaceEntity } from '../workspaces/workspace.entity';
import { SessionEntity } from './session.entity';
import { SignInThrottle } from './sign-in-throttle';

const SESSION_TOKEN_PREFIX = 'byoks_';
export const API_TOKEN_PREFIX = 'byok_';
const BAD_CREDENTIALS = 'Email or password is incorrect';
/** Don't write last_used_at on every request: once a minute is precise enough for a token list. */
const LAST_USED_RESOLUTION_MS = 60_000;

/** What a token proves, as cached: never the token itself (the cache is keyed by its SHA-256). */
interface Identity {
  viewer: Viewer;
  /** Sessions only: when it stops working, checked on every use. */
  expiresAt: number | null;
  lastUsedAt: number | null;
}

export interface SignedIn {
  token: string;
  user: UserEntity;
  expiresAt: Date;
}

/** Hashes waiting for a free slot beyond those running; more are refused at once. */
const MAX_WAITING_PASSWORD_CHECKS = 16;

export class AuthService {
  /** Every argon2 hash or verify of a request runs through this (bounded concurrency, bounded queue). */
  readonly passwordWork: PasswordWorkLimiter;
  private readonly throttle: SignInThrottle;
  /** Token digest → who it authenticates; emptied when sessions, tokens or users change in any process. */
  private readonly identities: InvalidatedCache<Identity | undefined>;
  private readonly lastUsedWrites = new Map<string, number>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly audit: AuditService,
    private readonly logger: Logger,
    changeFeed: ChangeFeed | null = null,
  ) {
    this.identities = new InvalidatedCache(changeFeed, ['sessions', 'api_tokens', 'users']);
    this.passwordWork = new PasswordWorkLimiter(config.passwordHashConcurrency, MAX_WAITING_PASSWORD_CHECKS);
    this.throttle = new SignInThrottle(dataSource, {
      perAccountAndAddress: config.signInMaxFailures,
      perAddress: config.signInMaxFailuresPerAddress,
      perAccount: config.signInMaxFailuresPerAccount,
      windowSeconds: config.signInLockSeconds,
    });
  }

  /** Creates the user, their first workspace (owned by them) and a session, all or nothing. */
  async signUp(rawEmail: string, password: string, rawName: string): Promise<SignedIn> {
    const email = validateEmail(rawEmail);
    validatePassword(password);
    const name = validateName(rawName);
    const passwordHash = await this.passwordWork.run(() => hashPassword(password));
    const emailTaken = (): AppError => new AppError('BAD_USER_INPUT', 'An account with this email already exists', { field: 'email' });
    try {
      return await this.createAccount(email, name, passwordHash, emailTaken);
    } catch (error) {
      // Two sign-ups racing for one email: the unique index decides, the loser gets the same answer.
      if (isUniqueViolation(error)) throw emailTaken();
      throw error;
    }
  }

  private createAccount(email: string, name: string, passwordHash: string, emailTaken: () => AppError): Promise<SignedIn> {
    return this.dataSource.transaction(async (manager) => {
      const existing = await manager.findOne(UserEntity, { where: { email } });
      if (existing) throw emailTaken();
      const user = await manager.save(manager.create(UserEntity, { email, name, passwordHash, isAdmin: false }));
      const workspace = await manager.save(manager.create(WorkspaceEntity, { name: `${name}'s workspace`.slice(0, 100) }));
      await manager.insert(MembershipEntity, { workspaceId: workspace.id, userId: user.id, role: 'OWNER' });
      await this.audit.record(manager, { action: 'WORKSPACE_CREATED', actor: { userId: user.id, email }, workspaceId: workspace.id, targetUserId: user.id });
      const { token, expiresAt } = await this.createSession(manager.getRepository(SessionEntity), user.id);
      return { token, user, expiresAt };
    });
  }

  /**
   * Same error for an unknown email and a wrong password. Each attempt is first reserved in the database
   * (SignInThrottle): past `signInMaxFailures` attempts on one account from one client address, past
   * `signInMaxFailuresPerAccount` checks of one account from all addresses, or (for an account this address has
   * already tried) past `signInMaxFailuresPerAddress` from one address, attempts are refused without any password
   * check until the window ends, even for the right password. Unknown emails are throttled the same way, so a
   * locked account and an unknown email answer alike.
   */
  async signIn(rawEmail: string, password: string, clientAddress: string | null): Promise<SignedIn> {
    const email = normaliseEmail(rawEmail);
    if (email.length === 0 || email.length > 254 || password.length === 0 || password.length > 1024) {
      throw new AppError('UNAUTHENTICATED', BAD_CREDENTIALS);
    }
    const reservation = await this.throttle.reserve(email, clientAddress ?? 'unknown');
    const user = await this.dataSource.getRepository(UserEntity).findOne({ where: { email } });
    let passwordMatches: boolean;
    try {
      // An unknown email spends the same argon2 work as a real check, so timing does not tell them apart.
      passwordMatches = await this.passwordWork.run(async () => {
        if (user) return verifyPassword(user.passwordHash, password);
        await burnPasswordCheck(password);
        return false;
      });
    } catch (error) {
      // Refused before any check ran (the server is busy): the attempt does not count.
      await reservation.refund();
      throw error;
    }
    if (!user || !passwordMatches) {
      this.logger.info('sign-in failed', { userId: user?.id ?? null });
      throw new AppError('UNAUTHENTICATED', BAD_CREDENTIALS);
    }
    await reservation.succeeded();
    const { token, expiresAt } = await this.createSession(this.dataSource.getRepository(SessionEntity), user.id);
    return { token, user, expiresAt };
  }

  async signOut(viewer: Viewer): Promise<void> {
    if (viewer.sessionId) await this.dataSource.getRepository(SessionEntity).delete({ id: viewer.sessionId });
  }

  /** Resolves a bearer/cookie token to a viewer; null for anything unknown, expired or revoked. */
  async authenticate(token: string | null | undefined): Promise<Viewer | null> {
    if (!token || token.length > 200) return null;
    if (!token.startsWith(SESSION_TOKEN_PREFIX) && !token.startsWith(API_TOKEN_PREFIX)) return null;
    const tokenHash = hashToken(token);
    // Unknown tokens are not kept (a token created later must work at once); known ones until a session,
    // token or user changes anywhere (see cache/change-feed.ts).
    const identity = await this.identities.get(tokenHash, () => this.readIdentity(token, tokenHash));
    if (!identity) return null;
    const now = Date.now();
    if (identity.expiresAt !== null && identity.expiresAt <= now) return null;
    const { viewer } = identity;
    if (viewer.apiTokenId !== null) {
      // last_used_at is for the token list: written at most once a minute per token and process.
      const lastUsed = Math.max(this.lastUsedWrites.get(viewer.apiTokenId) ?? 0, identity.lastUsedAt ?? 0);
      if (now - lastUsed > LAST_USED_RESOLUTION_MS) {
        this.lastUsedWrites.set(viewer.apiTokenId, now);
        if (this.lastUsedWrites.size > 10_000) this.lastUsedWrites.clear();
        await this.dataSource.query(`UPDATE api_tokens SET last_used_at = $2 WHERE id = $1`, [viewer.apiTokenId, new Date(now)]);
      }
    }
    return viewer;
  }

  private async readIdentity(token: string, tokenHash: string): Promise<Identity | undefined> {
    // One indexed join in plain SQL, no ORM hydration.
    if (token.startsWith(SESSION_TOKEN_PREFIX)) {
      const rows: Array<{ session_id: string; user_id: string; email: string; is_admin: boolean; expires_at: Date }> = await this.dataSource.query(
        `SELECT s.id AS session_id, u.id AS user_id, u.email, u.is_admin, s.expires_at
           FROM sessions s JOIN users u ON u.id = s.user_id
          WHERE s.token_hash = $1 AND s.expires_at > $2`,
        [tokenHash, new Date()],
      );
      const row = rows[0];
      if (!row) return undefined;
      return {
        viewer: {
          userId: row.user_id,
          email: row.email,
          isAdmin: row.is_admin,
          via: 'SESSION',
          sessionId: row.session_id,
          apiTokenId: null,
          apiTokenWorkspaceId: null,
        },
        expiresAt: new Date(row.expires_at).getTime(),
        lastUsedAt: null,
      };
    }
    const rows: Array<{ token_id: string; workspace_id: string | null; last_used_at: Date | null; user_id: string; email: string; is_admin: boolean }> =
      await this.dataSource.query(
        `SELECT t.id AS token_id, t.workspace_id, t.last_used_at, u.id AS user_id, u.email, u.is_admin
           FROM api_tokens t JOIN users u ON u.id = t.user_id
          WHERE t.token_hash = $1 AND t.revoked_at IS NULL`,
        [tokenHash],
      );
    const row = rows[0];
    if (!row) return undefined;
    return {
      viewer: {
        userId: row.user_id,
        email: row.email,
        isAdmin: row.is_admin,
        via: 'API_TOKEN',
        sessionId: null,
        apiTokenId: row.token_id,
        apiTokenWorkspaceId: row.workspace_id,
      },
      expiresAt: null,
      lastUsedAt: row.last_used_at ? new Date(row.last_used_at).getTime() : null,
    };
  }

  /**
   * First platform admin: from ADMIN_EMAIL/ADMIN_PASSWORD, or, when unset and no admin exists, one with a
   * generated password that is printed once (returned to the caller, which prints it outside the logs).
   */
  async ensureAdmin(): Promise<{ email: string; generatedPassword: string | null } | null> {
    const users = this.dataSource.getRepository(UserEntity);
    const { email, password } = this.config.admin;
    if (email && password) {
      const existing = await users.findOne({ where: { email } });
      if (existing) {
        if (!existing.isAdmin) await users.update(existing.id, { isAdmin: true });
        return null;
      }
      if (!(await this.insertAdmin(email, password.value))) return null;
      this.logger.info('created platform admin from ADMIN_EMAIL', { email });
      return { email, generatedPassword: null };
    }
    if (await users.exists({ where: { isAdmin: true } })) return null;
    const generatedPassword = randomBytes(18).toString('base64url');
    const adminEmail = 'admin@byok.local';
    const existing = await users.findOne({ where: { email: adminEmail } });
    if (existing) await users.update(existing.id, { isAdmin: true, passwordHash: await hashPassword(generatedPassword) });
    else if (!(await this.insertAdmin(adminEmail, generatedPassword))) return null;
    return { email: adminEmail, generatedPassword };
  }

  /** False when another server process starting at the same time created that admin first. */
  private async insertAdmin(email: string, password: string): Promise<boolean> {
    try {
      await this.dataSource.getRepository(UserEntity).insert({ email, name: 'Platform admin', passwordHash: await hashPassword(password), isAdmin: true });
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  async deleteExpiredSessions(): Promise<number> {
    await this.throttle.deleteExpired();
    const result = await this.dataSource.query(`DELETE FROM sessions WHERE expires_at < now()`);
    return Array.isArray(result) ? Number(result[1] ?? 0) : 0;
  }

  private async createSession(sessions: Repository<SessionEntity>, userId: string): Promise<{ token: string; expiresAt: Date }> {
    const token = generateToken(SESSION_TOKEN_PREFIX);
    const expiresAt = new Date(Date.now() + this.config.sessionTtlSeconds * 1000);
    await sessions.insert({ userId, tokenHash: hashToken(token), expiresAt });
    return { token, expiresAt };
  }
}
