import type { DataSource } from 'typeorm';
import * as policies from '../../auth/policies';
import type { Viewer } from '../../auth/viewer';
import { generateToken, hashToken } from '../../crypto/tokens';
import { forbidden, notFound } from '../../errors';
import { API_TOKEN_PREFIX } from '../auth/auth.service';
import { validateName } from '../users/user-input';
import { isUuid } from '../../validation/uuid';
import { type WorkspacesService } from '../workspaces/workspaces.service';
import type { WorkspaceEntity } from '../workspaces/workspace.entity';
import { ApiTokenEntity } from './api-token.entity';

/** Characters of the token kept for display: the `byok_` prefix plus 4 random characters. */
const DISPLAY_PREFIX_LENGTH = API_TOKEN_PREFIX.length + 4;

export class ApiTokensService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly workspaces: Pick<WorkspacesService, 'roleOf' | 'getReadable'>,
  ) {}

  /**
   * Returns the token in plaintext exactly once; only its SHA-256 digest is stored. A token bound to a
   * workspace (SPEC §6) needs its creator to be a member; it stops working there when the membership ends.
   */
  async create(viewer: Viewer, rawName: string, workspaceId: string | null = null): Promise<{ token: string; apiToken: ApiTokenEntity }> {
    const name = validateName(rawName, 'name', 'Token name');
    let workspace: WorkspaceEntity | null = null;
    if (workspaceId !== null) {
      const role = await this.workspaces.roleOf(workspaceId, viewer.userId);
      workspace = await this.workspaces.getReadable(viewer, workspaceId, role);
      if (!policies.canUseWorkspaceAi(viewer, role)) throw forbidden('Only members of a workspace can bind a token to it');
    }
    const token = generateToken(API_TOKEN_PREFIX);
    const repository = this.dataSource.getRepository(ApiTokenEntity);
    const apiToken = await repository.save(
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
    return { token, apiToken: Object.assign(apiToken, { workspace }) };
  }

  async list(viewer: Viewer): Promise<ApiTokenEntity[]> {
    return this.dataSource
      .getRepository(ApiTokenEntity)
      .find({ where: { userId: viewer.userId }, relations: { workspace: true }, order: { createdAt: 'DESC' } });
  }

  /** Only the token's owner can revoke it; anyone else is told it does not exist. */
  async revoke(viewer: Viewer, id: string): Promise<boolean> {
    if (!isUuid(id)) throw notFound('API token');
    const repository = this.dataSource.getRepository(ApiTokenEntity);
    const apiToken = await repository.findOne({ where: { id, userId: viewer.userId } });
    if (!apiToken) throw notFound('API token');
    if (!apiToken.revokedAt) await repository.update(apiToken.id, { revokedAt: new Date() });
    return true;
  }
}
