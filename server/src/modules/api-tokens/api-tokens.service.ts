import { IsNull, type DataSource } from 'typeorm';
import * as policies from '../../auth/policies';
import type { Viewer } from '../../auth/viewer';
import { generateToken, hashToken } from '../../crypto/tokens';
import { forbidden, notFound } from '../../errors';
import type { AuditService } from '../audit/audit.service';
import { API_TOKEN_PREFIX } from '../auth/auth.service';
import { validateName } from '../users/user-input';
import { isUuid } from '../../validation/uuid';
import { type WorkspacesService } from '../workspaces/workspaces.service';
import type { WorkspaceEntity } from '../workspaces/workspace.entity';
import { ApiTokenEntity } from './api-token.entity';

/** Characters of the token kept for display: the `byok_` prefix plus 4 random characters. */
const DISPLAY_PREFIX_LENGTH = API_TOKEN_PREFIX.length + 4;

/** Who, which token and which workspace: never the token, its digest or its prefix. */
const auditedToken = (viewer: Viewer, apiToken: ApiTokenEntity) => ({
  actor: viewer,
  workspaceId: apiToken.workspaceId,
  targetUserId: apiToken.userId,
  details: { apiTokenId: apiToken.id, tokenName: apiToken.name },
});

export class ApiTokensService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly workspaces: Pick<WorkspacesService, 'roleOf' | 'getReadable'>,
    private readonly audit: AuditService,
  ) {}

  /**
   * Returns the token in plaintext exactly once; only its SHA-256 digest is stored. A token bound to a
   * workspace (SPEC §6) needs its creator to be a member; it stops working there when the membership ends.
   * Audited as API_TOKEN_CREATED (SPEC §13), on the bound workspace's trail when there is one.
   */
  async create(viewer: Viewer, rawName: string, workspaceId: string | null = null): Promise<{ token: string; apiToken: ApiTokenEntity }> {
    const name = validateName(rawName, 'name', 'Token name');
    let workspace: WorkspaceEntity | null = null;
    if (workspaceId !== null) {
      const role = await this.workspaces.roleOf(workspaceId, viewer);
      workspace = await this.workspaces.getReadable(viewer, workspaceId, role);
      if (!policies.canUseWorkspaceAi(viewer, role)) throw forbidden('Only members of a workspace can bind a token to it');
    }
    const token = generateToken(API_TOKEN_PREFIX);
    const apiToken = await this.dataSource.transaction(async (manager) => {
      const repository = manager.getRepository(ApiTokenEntity);
      const saved = await repository.save(
        repository.create({
          userId: viewer.userId,
          workspaceId: workspace?.id ?? null,
          name,
          prefix: token.slice(0, DISPLAY_PREFIX_LENGTH),
          tokenHash: hashToken(token),
          lastUsedAt: null,
          revokedAt: null,
        }),
      );
      await this.audit.record(manager, { action: 'API_TOKEN_CREATED', ...auditedToken(viewer, saved) });
      return saved;
    });
    return { token, apiToken: Object.assign(apiToken, { workspace }) };
  }

  /** The viewer's tokens; through a workspace-bound token, only those bound to the same workspace (SPEC §10). */
  async list(viewer: Viewer): Promise<ApiTokenEntity[]> {
    const where = viewer.apiTokenWorkspaceId === null ? { userId: viewer.userId } : { userId: viewer.userId, workspaceId: viewer.apiTokenWorkspaceId };
    return this.dataSource.getRepository(ApiTokenEntity).find({ where, relations: { workspace: true }, order: { createdAt: 'DESC' } });
  }

  /** Only the token's owner can revoke it; anyone else is told it does not exist. Audited as API_TOKEN_REVOKED, once. */
  async revoke(viewer: Viewer, id: string): Promise<boolean> {
    if (!isUuid(id)) throw notFound('API token');
    return this.dataSource.transaction(async (manager) => {
      const repository = manager.getRepository(ApiTokenEntity);
      const apiToken = await repository.findOne({ where: { id, userId: viewer.userId } });
      if (!apiToken) throw notFound('API token');
      // Only the revocation that changes the row is recorded, so two revokes racing still audit one.
      const { affected } = await repository.update({ id: apiToken.id, revokedAt: IsNull() }, { revokedAt: new Date() });
      if (affected === 1) await this.audit.record(manager, { action: 'API_TOKEN_REVOKED', ...auditedToken(viewer, apiToken) });
      return true;
    });
  }
}
