import {
  type EventType,
  formatMicroUsd,
  type KeyScope,
  type KeyStatus,
  isProviderId,
  type NoticeSeverity,
  type ProviderId,
  PROVIDERS,
  type WorkspaceRole,
} from '@byok/shared';
import type { DataSource, EntityManager } from 'typeorm';
import * as policies from '../../auth/policies';
import type { Viewer } from '../../auth/viewer';
import { ensurePresent, notFound } from '../../errors';
import type { Logger } from '../../logging/logger';
import type { AuditRecord, AuditService } from '../audit/audit.service';
import type { BudgetEventSink, BudgetThresholdCrossing } from '../budgets/platform-key-budget.service';
import { isUuid } from '../../validation/uuid';

/**
 * Who a notice is for. WORKSPACE_OWNER: the owner of `workspace_id`; ADMINS: every platform admin;
 * KEY_OWNERS: the owner of any workspace holding its own key for `provider`; OWNERS: every workspace owner
 * (shown only while their workspace has no key of its own for `provider`).
 * The last two are one row each, whatever the number of workspaces (a BYOK switch stays O(1), R3).
 */
export type NoticeAudience = 'WORKSPACE_OWNER' | 'ADMINS' | 'KEY_OWNERS' | 'OWNERS';

interface NoticeDraft {
  audience: NoticeAudience;
  workspaceId: string | null;
  severity: NoticeSeverity;
  message: string;
  /** KEY_INVALID: the notice disappears once that key is no longer INVALID (replaced, removed or verified). */
  keyFingerprint?: string | null;
  /** BUDGET_THRESHOLD: the notice disappears when the month it is about is over. */
  expiresAt?: Date | null;
}

/** What webhooks deliver: `{ id, type, createdAt, data }`. `data` never holds key material. */
export interface EventRecord {
  id: string;
  type: EventType;
  createdAt: Date;
  data: Record<string, unknown>;
}

/** Where events go after the database (the webhook outbox), in the same transaction. */
export interface EventOutbox {
  enqueue(manager: EntityManager, event: EventRecord): Promise<void>;
}

export interface KeyInvalidEvent {
  scope: KeyScope;
  workspaceId: string | null;
  provider: ProviderId;
  fingerprint: string;
  /** AI_REQUEST: the provider rejected the key during real traffic (no person acted: actor `system`). */
  trigger: 'AI_REQUEST' | 'VERIFICATION';
  /** The person who ran the verification; null for traffic. */
  actor: Viewer | null;
  /** GLOBAL only: a key stored through the API, or one from the environment. */
  origin?: 'STORED' | 'ENVIRONMENT';
}

export interface ByokToggledEvent {
  provider: ProviderId;
  byokEnabled: boolean;
  workspacesAffected: number;
  /** Status of the platform key the moved workspaces now use; null when there is none (their requests fail). */
  platformKeyStatusAfter: KeyStatus | null;
  actor: Viewer;
}

export interface NoticeView {
  id: string;
  type: EventType;
  severity: NoticeSeverity;
  message: string;
  workspaceId: string | null;
  workspaceName: string | null;
  provider: ProviderId | null;
  createdAt: Date;
}

interface NoticeRow {
  id: string;
  type: EventType;
  severity: NoticeSeverity;
  message: string;
  workspace_id: string | null;
  workspace_name: string | null;
  provider: string | null;
  created_at: Date;
}

const NOTICE_LIMIT = 20;

// A KEY_INVALID notice about a stored key stays only while that very key is still INVALID; a budget notice
// only during its month; a BYOK notice only until the next switch of that provider.
const STILL_RELEVANT = `
  (n.expires_at IS NULL OR n.expires_at > $2)
  AND (n.type <> 'KEY_INVALID' OR n.key_fingerprint IS NULL OR EXISTS (
    SELECT 1 FROM provider_keys k
     WHERE k.fingerprint = n.key_fingerprint AND k.provider = n.provider AND k.status = 'INVALID'
       AND ((n.workspace_id IS NULL AND k.scope = 'GLOBAL') OR k.workspace_id = n.workspace_id)))
  AND (n.type <> 'BYOK_TOGGLED' OR NOT EXISTS (
    SELECT 1 FROM notices later WHERE later.type = 'BYOK_TOGGLED' AND later.provider = n.provider AND later.created_at > n.created_at))`;

/**
 * Key-health and cost events (R14). Each event, in the caller's transaction: an audit record (actor null =
 * `system` when no person acted), notices for whoever can act, and the webhook outbox (R15). Called by the key
 * store (a key turning INVALID), the budgets (80% / 100% of a cap) and the integrations (BYOK switched).
 */
export class KeyHealthEventsService implements BudgetEventSink {
  private outbox: EventOutbox | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly logger: Logger,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Set once at wiring time by the webhooks module. */
  connectOutbox(outbox: EventOutbox): void {
    this.outbox = outbox;
  }

  // ---------------------------------------------------------------------------------------------------------
  // The three events

  async keyInvalid(manager: EntityManager, event: KeyInvalidEvent): Promise<void> {
    const label = PROVIDERS[event.provider].label;
    const how = event.trigger === 'AI_REQUEST' ? 'during an AI request' : 'when the key was verified';
    const workspaceName = event.workspaceId ? await this.workspaceName(manager, event.workspaceId) : null;
    const notices: NoticeDraft[] =
      event.scope === 'WORKSPACE'
        ? [
            {
              audience: 'WORKSPACE_OWNER',
              workspaceId: event.workspaceId,
              severity: 'CRITICAL',
              message: `${label} rejected this workspace's own ${label} key ${how}. AI requests for ${label} fail until you replace it in API keys.`,
              keyFingerprint: event.fingerprint,
            },
          ]
        : [
            {
              audience: 'ADMINS',
              workspaceId: null,
              severity: 'CRITICAL',
              message: `${label} rejected the platform's ${label} key ${how}. Requests that use it fail until it is replaced in Settings → Integrations.`,
              // The environment's key is not in the database: its notice stays until dismissed.
              keyFingerprint: event.origin === 'ENVIRONMENT' ? null : event.fingerprint,
            },
          ];
    await this.emit(manager, {
      type: 'KEY_INVALID',
      workspaceId: event.workspaceId,
      provider: event.provider,
      data: {
        scope: event.scope,
        workspaceId: event.workspaceId,
        workspaceName,
        provider: event.provider,
        fingerprint: event.fingerprint,
        trigger: event.trigger,
        ...(event.origin ? { origin: event.origin } : {}),
      },
      notices,
      audit: {
        action: event.scope === 'WORKSPACE' ? 'WORKSPACE_KEY_INVALID' : 'GLOBAL_KEY_INVALID',
        actor: event.actor,
        provider: event.provider,
        workspaceId: event.workspaceId,
        fingerprint: event.fingerprint,
        outcome: 'FAILURE',
        details: { trigger: event.trigger, status: 'INVALID', ...(event.origin ? { origin: event.origin } : {}) },
      },
    });
  }

  async budgetThresholdCrossed(manager: EntityManager, crossing: BudgetThresholdCrossing): Promise<void> {
    const workspaceName = (await this.workspaceName(manager, crossing.workspaceId)) ?? 'A workspace';
    const amounts = `${formatMicroUsd(crossing.spentMicroUsd)} of ${formatMicroUsd(crossing.monthlyLimitMicroUsd)}`;
    const nextMonth = new Date(Date.UTC(crossing.periodStart.getUTCFullYear(), crossing.periodStart.getUTCMonth() + 1, 1));
    const reached = crossing.thresholdPercent >= 100;
    const until = nextMonth.toISOString().slice(0, 10);
    const ownerMessage = reached
      ? `This workspace has used its whole monthly allowance on the platform's keys (${amounts}). Requests that use the platform's keys are refused until ${until}; add the workspace's own keys in API keys (where BYOK is on) or ask a platform admin to raise the limit.`
      : `This workspace has used ${crossing.thresholdPercent}% of its monthly allowance on the platform's keys (${amounts}). At 100%, requests that use the platform's keys are refused until ${until}.`;
    const adminMessage = reached
      ? `${workspaceName} has reached its monthly cap on the platform's keys (${amounts}); its platform-key requests are refused until ${until}.`
      : `${workspaceName} has used ${crossing.thresholdPercent}% of its monthly cap on the platform's keys (${amounts}).`;
    await this.emit(manager, {
      type: 'BUDGET_THRESHOLD',
      workspaceId: crossing.workspaceId,
      provider: null,
      data: {
        workspaceId: crossing.workspaceId,
        workspaceName: await this.workspaceName(manager, crossing.workspaceId),
        thresholdPercent: crossing.thresholdPercent,
        monthlyLimitMicroUsd: crossing.monthlyLimitMicroUsd,
        spentMicroUsd: crossing.spentMicroUsd,
        periodStart: crossing.periodStart.toISOString(),
      },
      notices: [
        {
          audience: 'WORKSPACE_OWNER',
          workspaceId: crossing.workspaceId,
          severity: reached ? 'CRITICAL' : 'WARNING',
          message: ownerMessage,
          expiresAt: nextMonth,
        },
        { audience: 'ADMINS', workspaceId: crossing.workspaceId, severity: reached ? 'CRITICAL' : 'WARNING', message: adminMessage, expiresAt: nextMonth },
      ],
      audit: {
        action: 'PLATFORM_KEY_BUDGET_THRESHOLD',
        actor: null,
        workspaceId: crossing.workspaceId,
        details: {
          thresholdPercent: crossing.thresholdPercent,
          monthlyLimitMicroUsd: crossing.monthlyLimitMicroUsd,
          spentMicroUsd: crossing.spentMicroUsd,
          periodStart: crossing.periodStart.toISOString(),
        },
      },
    });
  }

  /** The switch itself is audited by the integrations (INTEGRATION_BYOK_ENABLED/DISABLED, by the admin who acted). */
  async byokToggled(manager: EntityManager, event: ByokToggledEvent): Promise<void> {
    const label = PROVIDERS[event.provider].label;
    const notices: NoticeDraft[] = event.byokEnabled
      ? [
          {
            audience: 'OWNERS',
            workspaceId: null,
            severity: 'INFO',
            message: `Workspace keys are now available for ${label}: you can add this workspace's own ${label} key in API keys so its ${label} usage is billed to your account.`,
          },
        ]
      : [
          {
            audience: 'KEY_OWNERS',
            workspaceId: null,
            severity: 'WARNING',
            // Say what really happens now: the platform's key, a rejected one, or none at all.
            message: `A platform admin turned off workspace keys for ${label}. This workspace's own ${label} key is kept but not used; ${
              event.platformKeyStatusAfter === null
                ? `there is no platform ${label} key, so ${label} requests fail until a platform admin adds one.`
                : event.platformKeyStatusAfter === 'INVALID' || event.platformKeyStatusAfter === 'UNREADABLE'
                  ? `${label} requests now use the platform's key, which does not work (${event.platformKeyStatusAfter === 'INVALID' ? `${label} rejected it` : "it can't be read"}), so they fail until a platform admin replaces it.`
                  : `${label} requests now use the platform's key.`
            }`,
          },
        ];
    await this.emit(manager, {
      type: 'BYOK_TOGGLED',
      workspaceId: null,
      provider: event.provider,
      data: { provider: event.provider, byokEnabled: event.byokEnabled, workspacesAffected: event.workspacesAffected, actorUserId: event.actor.userId },
      notices,
      audit: null,
    });
  }

  private async emit(
    manager: EntityManager,
    event: {
      type: EventType;
      workspaceId: string | null;
      provider: ProviderId | null;
      data: Record<string, unknown>;
      notices: NoticeDraft[];
      audit: AuditRecord | null;
    },
  ): Promise<void> {
    const [row] = (await manager.query(`INSERT INTO events (type, workspace_id, provider, data) VALUES ($1, $2, $3, $4) RETURNING id, created_at`, [
      event.type,
      event.workspaceId,
      event.provider,
      JSON.stringify(event.data),
    ])) as Array<{ id: string; created_at: Date }>;
    const { id: eventId, created_at: createdAt } = ensurePresent(row, 'the inserted event');
    if (event.audit) await this.audit.record(manager, { ...event.audit, details: { ...event.audit.details, eventId } });
    for (const notice of event.notices) {
      await manager.query(
        `INSERT INTO notices (event_id, audience, workspace_id, provider, type, severity, message, key_fingerprint, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [
          eventId,
          notice.audience,
          notice.workspaceId,
          event.provider,
          event.type,
          notice.severity,
          notice.message,
          notice.keyFingerprint ?? null,
          notice.expiresAt ?? null,
        ],
      );
    }
    await this.outbox?.enqueue(manager, { id: eventId, type: event.type, createdAt, data: event.data });
    this.logger.info('key-health event', { type: event.type, eventId, workspaceId: event.workspaceId, provider: event.provider });
  }

  private async workspaceName(manager: EntityManager, workspaceId: string): Promise<string | null> {
    const rows = (await manager.query(`SELECT name FROM workspaces WHERE id = $1`, [workspaceId])) as Array<{ name: string }>;
    return rows[0]?.name ?? null;
  }

  // ---------------------------------------------------------------------------------------------------------
  // Notices

  /**
   * Notices the viewer can act on and has not dismissed, newest first. With a workspace: its owner's notices
   * (members and admins who are not members get none: there is nothing they can do there). Without: the
   * platform admins' notices (platform keys and caps); none for anyone else.
   */
  async notices(viewer: Viewer, workspaceId: string | null, role: WorkspaceRole | null): Promise<NoticeView[]> {
    const rows = workspaceId === null ? await this.adminNotices(viewer) : await this.ownerNotices(viewer, workspaceId, role);
    return rows.map((row) => ({
      id: row.id,
      type: row.type,
      severity: row.severity,
      message: row.message,
      workspaceId: row.workspace_id,
      workspaceName: row.workspace_name,
      provider: isProviderId(row.provider) ? row.provider : null,
      createdAt: row.created_at,
    }));
  }

  /** Hides a notice for this viewer only. NOT_FOUND for a notice the viewer cannot see. */
  async dismiss(viewer: Viewer, noticeId: string): Promise<boolean> {
    if (!isUuid(noticeId)) throw notFound('Notice');
    const [notice] = (await this.dataSource.query(`SELECT audience, workspace_id, provider FROM notices WHERE id = $1`, [noticeId])) as Array<{
      audience: NoticeAudience;
      workspace_id: string | null;
      provider: string | null;
    }>;
    if (!notice || !(await this.canSee(viewer, notice))) throw notFound('Notice');
    await this.dataSource.query(`INSERT INTO notice_dismissals (notice_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [noticeId, viewer.userId]);
    return true;
  }

  private async canSee(viewer: Viewer, notice: { audience: NoticeAudience; workspace_id: string | null; provider: string | null }): Promise<boolean> {
    if (notice.audience === 'ADMINS') return policies.isPlatformAdmin(viewer);
    if (notice.audience === 'WORKSPACE_OWNER') {
      const rows = await this.dataSource.query(`SELECT 1 FROM memberships WHERE workspace_id = $1 AND user_id = $2 AND role = 'OWNER'`, [
        notice.workspace_id,
        viewer.userId,
      ]);
      return rows.length > 0;
    }
    const rows = await this.dataSource.query(
      `SELECT 1 FROM memberships m WHERE m.user_id = $1 AND m.role = 'OWNER'
         AND ($2::text IS NULL OR $3 <> 'KEY_OWNERS' OR EXISTS (
           SELECT 1 FROM provider_keys k WHERE k.scope = 'WORKSPACE' AND k.workspace_id = m.workspace_id AND k.provider = $2))`,
      [viewer.userId, notice.provider, notice.audience],
    );
    return rows.length > 0;
  }

  private async adminNotices(viewer: Viewer): Promise<NoticeRow[]> {
    if (!policies.isPlatformAdmin(viewer)) return [];
    return (await this.dataSource.query(
      `SELECT n.id, n.type, n.severity, n.message, n.workspace_id, w.name AS workspace_name, n.provider, n.created_at
         FROM notices n LEFT JOIN workspaces w ON w.id = n.workspace_id
        WHERE n.audience = 'ADMINS'
          AND NOT EXISTS (SELECT 1 FROM notice_dismissals d WHERE d.notice_id = n.id AND d.user_id = $1)
          AND ${STILL_RELEVANT}
        ORDER BY n.created_at DESC LIMIT ${NOTICE_LIMIT}`,
      [viewer.userId, this.clock()],
    )) as NoticeRow[];
  }

  private async ownerNotices(viewer: Viewer, workspaceId: string, role: WorkspaceRole | null): Promise<NoticeRow[]> {
    if (!isUuid(workspaceId) || !policies.canReadWorkspace(viewer, role)) throw notFound('Workspace');
    if (role !== 'OWNER') return [];
    return (await this.dataSource.query(
      `SELECT n.id, n.type, n.severity, n.message, n.workspace_id, w.name AS workspace_name, n.provider, n.created_at
         FROM notices n JOIN workspaces w ON w.id = $3
        WHERE NOT EXISTS (SELECT 1 FROM notice_dismissals d WHERE d.notice_id = n.id AND d.user_id = $1)
          AND ${STILL_RELEVANT}
          AND ((n.audience = 'WORKSPACE_OWNER' AND n.workspace_id = $3)
            OR (n.audience = 'OWNERS' AND n.created_at >= w.created_at AND NOT EXISTS (
                  SELECT 1 FROM provider_keys k WHERE k.scope = 'WORKSPACE' AND k.workspace_id = $3 AND k.provider = n.provider))
            OR (n.audience = 'KEY_OWNERS' AND n.created_at >= w.created_at AND EXISTS (
                  SELECT 1 FROM provider_keys k WHERE k.scope = 'WORKSPACE' AND k.workspace_id = $3 AND k.provider = n.provider)))
        ORDER BY n.created_at DESC LIMIT ${NOTICE_LIMIT}`,
      [viewer.userId, this.clock(), workspaceId],
    )) as NoticeRow[];
  }
}
