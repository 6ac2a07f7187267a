import type { DataSource, EntityManager } from 'typeorm';
import type { Viewer } from '../../auth/viewer';
import { InvalidatedCache, type ChangeFeed } from '../../cache/change-feed';
import { notFound } from '../../errors';
import { isUuid } from '../../validation/uuid';
import type { AuditAction } from '@byok/shared';
import type { AuditService } from '../audit/audit.service';

/** The scope key of a policy's platform default. */
export const DEFAULT_SCOPE = 'DEFAULT';

/**
 * One per-workspace policy: a platform default plus per-workspace overrides (docs/adding-a-policy.md). `T` is the
 * policy's value as the API speaks it; it is stored as JSON, where null is a value too ("no cap", "all models").
 */
export interface PolicyDefinition<T> {
  /** The stored name (`workspace_policies.policy`); never renamed. */
  readonly name: string;
  /** What setting it writes to the audit log (R10). */
  readonly auditAction: AuditAction;
  /** What applies when nothing is stored, not even a default (e.g. the environment's RATE_LIMIT_WORKSPACE_RPM). */
  fallback(): T;
  /** Checks a value an admin sets; throws BAD_USER_INPUT naming the field. */
  validate(value: T): void;
  /** A stored JSON value read back (the database is trusted: only `validate`d values were written). */
  decode(json: unknown): T;
  /** The audit record's details for a change (key-free, R10). */
  auditDetails(change: PolicyChange<T>): Record<string, unknown>;
}

/** A policy's value for one workspace, and whether it comes from the platform's default. */
export interface PolicyValue<T> {
  value: T;
  inherited: boolean;
}

/** What a set changed: the new value (or back to the default), and what was stored before. */
interface PolicyChange<T> {
  scope: 'DEFAULT' | 'WORKSPACE';
  subject: string;
  /** null when the workspace went back to the default. */
  next: { value: T } | null;
  /** null when nothing was stored for this scope before. */
  previous: { value: T } | null;
}

interface PolicyRow {
  scope_key: string;
  value: unknown;
}

/**
 * The store of every per-workspace policy (`workspace_policies`): read one workspace's value on the hot path
 * through a cache the change feed empties on any change, in any process; read many workspaces in one query for
 * the API; set a default or an override (or remove it) in one audited transaction.
 */
export class WorkspacePolicies {
  private readonly cache: InvalidatedCache<PolicyRow[]>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    changeFeed: ChangeFeed | null,
  ) {
    this.cache = new InvalidatedCache(changeFeed, ['workspace_policies']);
  }

  /**
   * The value in force for one workspace: its override, else the stored default, else the policy's fallback.
   * Cached; with `manager` (inside a transaction) it reads through that transaction instead, uncached.
   */
  async effective<T>(definition: PolicyDefinition<T>, workspaceId: string, subject = '', manager?: EntityManager): Promise<PolicyValue<T>> {
    const scope = workspaceId.toLowerCase();
    if (!isUuid(scope)) return { value: await this.defaultOf(definition, subject, manager), inherited: true };
    const read = () => this.rows(manager ?? this.dataSource.manager, definition.name, subject, [DEFAULT_SCOPE, scope]);
    const rows = manager ? await read() : await this.cache.get(`${definition.name}\u0000${subject}\u0000${scope}`, read);
    return this.resolve(definition, rows, scope);
  }

  /** The value in force for each of several workspaces: one query. */
  async forWorkspaces<T>(definition: PolicyDefinition<T>, workspaceIds: readonly string[], subject = ''): Promise<Map<string, PolicyValue<T>>> {
    const scopes = [...new Set(workspaceIds.map((id) => id.toLowerCase()).filter(isUuid))];
    const rows = await this.rows(this.dataSource.manager, definition.name, subject, [DEFAULT_SCOPE, ...scopes]);
    return new Map(workspaceIds.map((id) => [id, this.resolve(definition, rows, id.toLowerCase())]));
  }

  /** The platform's default: the stored one, else the policy's fallback. */
  async defaultOf<T>(definition: PolicyDefinition<T>, subject = '', manager?: EntityManager): Promise<T> {
    const rows = await this.rows(manager ?? this.dataSource.manager, definition.name, subject, [DEFAULT_SCOPE]);
    return this.resolve(definition, rows, DEFAULT_SCOPE).value;
  }

  /**
   * Admin: sets the default (`workspaceId` null) or a workspace's override to `change.value`, or removes the
   * override (`'INHERIT'`) so the default applies again. Validated, audited, and seen by this process at once.
   */
  async set<T>(viewer: Viewer, definition: PolicyDefinition<T>, workspaceId: string | null, subject: string, change: { value: T } | 'INHERIT'): Promise<void> {
    if (change !== 'INHERIT') definition.validate(change.value);
    let scope = DEFAULT_SCOPE;
    if (workspaceId !== null) {
      const exists = isUuid(workspaceId) && (await this.dataSource.query(`SELECT 1 FROM workspaces WHERE id = $1`, [workspaceId])).length > 0;
      if (!exists) throw notFound('Workspace');
      scope = workspaceId.toLowerCase();
    }
    await this.dataSource.transaction(async (manager) => {
      const [previous] = (await manager.query(`SELECT value FROM workspace_policies WHERE policy = $1 AND subject = $2 AND scope_key = $3 FOR UPDATE`, [
        definition.name,
        subject,
        scope,
      ])) as Array<{ value: unknown }>;
      if (change === 'INHERIT') {
        await manager.query(`DELETE FROM workspace_policies WHERE policy = $1 AND subject = $2 AND scope_key = $3`, [definition.name, subject, scope]);
      } else {
        await manager.query(
          `INSERT INTO workspace_policies (policy, subject, scope_key, workspace_id, value, updated_by) VALUES ($1, $2, $3, $4, $5::jsonb, $6)
           ON CONFLICT (policy, subject, scope_key) DO UPDATE SET value = EXCLUDED.value, updated_by = EXCLUDED.updated_by, updated_at = now()`,
          [definition.name, subject, scope, workspaceId === null ? null : scope, JSON.stringify(change.value), viewer.userId],
        );
      }
      await this.audit.record(manager, {
        action: definition.auditAction,
        actor: viewer,
        workspaceId: workspaceId === null ? null : scope,
        provider: subject === '' ? null : subject,
        details: definition.auditDetails({
          scope: workspaceId === null ? 'DEFAULT' : 'WORKSPACE',
          subject,
          next: change === 'INHERIT' ? null : change,
          previous: previous ? { value: definition.decode(previous.value) } : null,
        }),
      });
    });
    // This process sees its own change at once, even before (or without) the change feed.
    this.cache.clear();
  }

  private async rows(manager: EntityManager, policy: string, subject: string, scopes: string[]): Promise<PolicyRow[]> {
    return (await manager.query(`SELECT scope_key, value FROM workspace_policies WHERE policy = $1 AND subject = $2 AND scope_key = ANY($3::text[])`, [
      policy,
      subject,
      scopes,
    ])) as PolicyRow[];
  }

  private resolve<T>(definition: PolicyDefinition<T>, rows: PolicyRow[], scope: string): PolicyValue<T> {
    const own = scope === DEFAULT_SCOPE ? undefined : rows.find((row) => row.scope_key === scope);
    if (own) return { value: definition.decode(own.value), inherited: false };
    const stored = rows.find((row) => row.scope_key === DEFAULT_SCOPE);
    return { value: stored ? definition.decode(stored.value) : definition.fallback(), inherited: true };
  }
}
