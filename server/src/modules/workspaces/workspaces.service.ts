import { InvalidatedCache, type ChangeFeed } from '../../cache/change-feed';
import type { DataSource } from 'typeorm';
import * as policies from '../../auth/policies';
import type { WorkspaceRole } from '@byok/shared';
import type { Viewer } from '../../auth/viewer';
import { isUniqueViolation } from '../../database/unique-violation';
import { AppError, badInput, forbidden, notFound } from '../../errors';
import type { AuditService } from '../audit/audit.service';
import { UserEntity } from '../users/user.entity';
import { normaliseEmail, validateName } from '../users/user-input';
import { isUuid } from '../../validation/uuid';
import { MembershipEntity } from './membership.entity';
import { WorkspaceEntity } from './workspace.entity';

export class WorkspacesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    /** Workspaces one user may own: sign-up is open, so without a cap one account could create unbounded rows. */
    private readonly maxOwnedWorkspaces: number,
    changeFeed: ChangeFeed | null = null,
  ) {
    this.roles = new InvalidatedCache(changeFeed, ['memberships']);
  }

  /** Roles by workspace and user, kept while no membership changes anywhere (see cache/change-feed.ts). */
  private readonly roles: InvalidatedCache<WorkspaceRole | null>;

  /**
   * The viewer's role in a workspace; null when not a member, and for a workspace-bound API token outside its
   * workspace (SPEC §10): every access decision starts here, so such a token is an outsider everywhere else.
   */
  async roleOf(workspaceId: string, viewer: Pick<Viewer, 'userId' | 'apiTokenWorkspaceId'>): Promise<WorkspaceRole | null> {
    if (!isUuid(workspaceId) || !policies.reachesWorkspace(viewer, workspaceId)) return null;
    const { userId } = viewer;
    return this.roles.get(`${workspaceId.toLowerCase()}:${userId}`, () => this.readRole(workspaceId, userId));
  }

  private async readRole(workspaceId: string, userId: string): Promise<WorkspaceRole | null> {
    // Asked on most requests (authorization): plain SQL on the primary key, no ORM hydration.
    const rows: Array<{ role: WorkspaceRole }> = await this.dataSource.query(`SELECT role FROM memberships WHERE workspace_id = $1 AND user_id = $2`, [
      workspaceId,
      userId,
    ]);
    return rows[0]?.role ?? null;
  }

  /**
   * Loads a workspace the viewer may read. Outsiders get NOT_FOUND, never FORBIDDEN, so workspace ids
   * cannot be probed for existence.
   */
  async getReadable(viewer: Viewer, workspaceId: string, role: WorkspaceRole | null): Promise<WorkspaceEntity> {
    if (!isUuid(workspaceId) || !policies.canReadWorkspace(viewer, role)) throw notFound('Workspace');
    const workspace = await this.dataSource.getRepository(WorkspaceEntity).findOne({ where: { id: workspaceId } });
    if (!workspace) throw notFound('Workspace');
    return workspace;
  }

  /** The viewer's own workspaces (membership), oldest first; for a workspace-bound API token, that one only. */
  async listForViewer(viewer: Pick<Viewer, 'userId' | 'apiTokenWorkspaceId'>): Promise<WorkspaceEntity[]> {
    const query = this.dataSource
      .getRepository(WorkspaceEntity)
      .createQueryBuilder('workspace')
      .innerJoin(MembershipEntity, 'membership', 'membership.workspace_id = workspace.id AND membership.user_id = :userId', { userId: viewer.userId });
    if (viewer.apiTokenWorkspaceId !== null) query.andWhere('workspace.id = :bound', { bound: viewer.apiTokenWorkspaceId });
    return query.orderBy('workspace.created_at', 'ASC').addOrderBy('workspace.id', 'ASC').getMany();
  }

  async create(viewer: Viewer, rawName: string): Promise<WorkspaceEntity> {
    const name = validateName(rawName, 'name', 'Workspace name');
    return this.dataSource.transaction(async (manager) => {
      // Lock the user's row so two concurrent creates cannot both pass the cap.
      await manager.query(`SELECT id FROM users WHERE id = $1 FOR UPDATE`, [viewer.userId]);
      const [{ owned }] = (await manager.query(`SELECT count(*)::int AS owned FROM memberships WHERE user_id = $1 AND role = 'OWNER'`, [viewer.userId])) as [
        { owned: number },
      ];
      if (owned >= this.maxOwnedWorkspaces) {
        throw new AppError('BAD_USER_INPUT', `You already own ${owned} workspaces, the most one account can own`, { field: 'name' });
      }
      const workspace = await manager.save(manager.create(WorkspaceEntity, { name }));
      await manager.insert(MembershipEntity, { workspaceId: workspace.id, userId: viewer.userId, role: 'OWNER' });
      await this.audit.record(manager, { action: 'WORKSPACE_CREATED', actor: viewer, workspaceId: workspace.id, targetUserId: viewer.userId });
      return workspace;
    });
  }

  async members(workspaceId: string): Promise<Array<MembershipEntity & { user: UserEntity }>> {
    const rows = await this.dataSource.getRepository(MembershipEntity).find({
      where: { workspaceId },
      relations: { user: true },
      order: { createdAt: 'ASC' },
    });
    return rows.filter((row): row is MembershipEntity & { user: UserEntity } => row.user !== undefined);
  }

  async addMember(viewer: Viewer, workspaceId: string, rawEmail: string): Promise<MembershipEntity & { user: UserEntity }> {
    const role = await this.roleOf(workspaceId, viewer);
    await this.getReadable(viewer, workspaceId, role);
    if (!policies.canManageMembers(viewer, role)) throw forbidden('Only the workspace owner can add members');
    const email = normaliseEmail(rawEmail);
    if (email.length === 0 || email.length > 254) throw badInput('Enter a valid email address', 'email');
    const alreadyMember = (): AppError => badInput('That user is already a member of this workspace', 'email');
    try {
      return await this.insertMember(viewer, workspaceId, email, alreadyMember);
    } catch (error) {
      // Two concurrent adds of one user: the primary key decides, the loser gets the same answer.
      if (isUniqueViolation(error)) throw alreadyMember();
      throw error;
    }
  }

  private insertMember(viewer: Viewer, workspaceId: string, email: string, alreadyMember: () => AppError): Promise<MembershipEntity & { user: UserEntity }> {
    return this.dataSource.transaction(async (manager) => {
      const user = await manager.findOne(UserEntity, { where: { email } });
      if (!user) throw new AppError('NOT_FOUND', 'No user with that email. Ask them to sign up first.', { field: 'email' });
      const existing = await manager.findOne(MembershipEntity, { where: { workspaceId, userId: user.id } });
      if (existing) throw alreadyMember();
      await manager.insert(MembershipEntity, { workspaceId, userId: user.id, role: 'MEMBER' });
      await this.audit.record(manager, { action: 'MEMBER_ADDED', actor: viewer, workspaceId, targetUserId: user.id });
      const membership = await manager.findOneOrFail(MembershipEntity, { where: { workspaceId, userId: user.id } });
      return Object.assign(membership, { user });
    });
  }

  async removeMember(viewer: Viewer, workspaceId: string, userId: string): Promise<boolean> {
    const role = await this.roleOf(workspaceId, viewer);
    await this.getReadable(viewer, workspaceId, role);
    if (!policies.canManageMembers(viewer, role)) throw forbidden('Only the workspace owner can remove members');
    if (!isUuid(userId)) throw notFound('Member');
    return this.dataSource.transaction(async (manager) => {
      const membership = await manager.findOne(MembershipEntity, { where: { workspaceId, userId } });
      if (!membership) throw notFound('Member');
      if (membership.role === 'OWNER') throw badInput('The workspace owner cannot be removed', 'userId');
      await manager.delete(MembershipEntity, { workspaceId, userId });
      await this.audit.record(manager, { action: 'MEMBER_REMOVED', actor: viewer, workspaceId, targetUserId: userId });
      return true;
    });
  }
}
