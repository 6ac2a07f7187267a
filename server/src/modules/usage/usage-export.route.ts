import { once } from 'node:events';
import type { Express, Request, Response } from 'express';
import * as policies from '../../auth/policies';
import { AppError, badInput, forbidden, notFound, unauthenticated } from '../../errors';
import type { DataSource } from 'typeorm';
import { authenticateRequest } from '../../http/authenticate';
import type { Logger } from '../../logging/logger';
import type { AuthService } from '../auth/auth.service';
import { isUuid } from '../../validation/uuid';
import { type WorkspacesService } from '../workspaces/workspaces.service';
import { resolveUsageRange } from './usage-range';
import { USAGE_CSV_MEASURE_HEADERS, usageCsvMeasureFields } from './usage-measures';
import type { UsageExportRow, UsageService } from './usage.service';

export const USAGE_EXPORT_PATH = '/api/v1/usage/export.csv';

const HTTP_STATUS: Record<string, number> = { UNAUTHENTICATED: 401, FORBIDDEN: 403, NOT_FOUND: 404, BAD_USER_INPUT: 400 };

/** One line's facts besides its measures: the row, and its workspace's current name. */
interface ExportLine {
  row: UsageExportRow;
  workspaceName: string;
}

type LineColumn = readonly [header: string, value: (line: ExportLine) => string | number];

const LEADING_COLUMNS: readonly LineColumn[] = [
  ['date', ({ row }) => row.date],
  ['workspace_id', ({ row }) => row.workspaceId],
  ['workspace_name', ({ workspaceName }) => workspaceName],
  ['provider', ({ row }) => row.provider],
  ['key_source', ({ row }) => row.keySource],
  ['model', ({ row }) => row.model],
  ['outcome', ({ row }) => row.outcome],
];

// Added after the first columns, so a reader that takes columns by position keeps working.
const TRAILING_COLUMNS: readonly LineColumn[] = [
  ['user_id', ({ row }) => row.userId ?? ''],
  ['user_email', ({ row }) => row.userEmail ?? ''],
];

/** The CSV header: the line's facts, then each measure's columns (USAGE_MEASURES), then the user. */
export const USAGE_EXPORT_COLUMNS: readonly string[] = [
  ...LEADING_COLUMNS.map(([header]) => header),
  ...USAGE_CSV_MEASURE_HEADERS,
  ...TRAILING_COLUMNS.map(([header]) => header),
];

/** One CSV line's fields, in the order of USAGE_EXPORT_COLUMNS. */
export function usageExportFields(line: ExportLine): Array<string | number> {
  return [...LEADING_COLUMNS.map(([, value]) => value(line)), ...usageCsvMeasureFields(line.row), ...TRAILING_COLUMNS.map(([, value]) => value(line))];
}

/** One CSV field: quoted when needed; text a spreadsheet would run as a formula is prefixed with '. */
function csvField(value: string | number): string {
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function parseDate(raw: unknown, field: string): Date | null {
  if (raw === undefined || raw === '') return null;
  if (typeof raw !== 'string') throw badInput(`${field} must be an ISO date-time`, field);
  const date = new Date(raw);
  if (Number.isNaN(date.getTime())) throw badInput(`${field} must be an ISO date-time`, field);
  return date;
}

/**
 * GET /api/v1/usage/export.csv?from=…&to=…[&workspaceId=…] — the usage screens' rows as CSV, one line per
 * (UTC day, workspace, provider, key source, model, outcome, user): the same numbers every total on the screen
 * adds up. With `workspaceId`: that workspace (its owner or a platform admin); without: every workspace
 * (platform admins only). Authenticated like GraphQL (Bearer token or the session cookie). Streamed a day
 * at a time, with back-pressure, so a year of a large platform is never held in memory.
 */
/** What the route needs, given by the wiring. */
export interface UsageExportDependencies {
  auth: Pick<AuthService, 'authenticate'>;
  workspaces: Pick<WorkspacesService, 'roleOf'>;
  usage: UsageService;
  dataSource: DataSource;
  logger: Logger;
}

export function registerUsageExportRoute(app: Express, dependencies: UsageExportDependencies): void {
  app.get(USAGE_EXPORT_PATH, async (req: Request, res: Response) => {
    let workspaceId: string | null;
    let range: { from: Date; to: Date };
    try {
      const viewer = await authenticateRequest(dependencies.auth, req);
      if (!viewer) throw unauthenticated();
      const rawWorkspace = req.query.workspaceId;
      workspaceId = typeof rawWorkspace === 'string' && rawWorkspace !== '' ? rawWorkspace.toLowerCase() : null;
      if (rawWorkspace !== undefined && typeof rawWorkspace !== 'string') throw badInput('workspaceId must be one id', 'workspaceId');
      if (workspaceId === null) {
        if (!policies.isPlatformAdmin(viewer)) throw forbidden('Only platform admins can export every workspace’s usage');
      } else {
        const role = isUuid(workspaceId) ? await dependencies.workspaces.roleOf(workspaceId, viewer) : null;
        if (!policies.canReadWorkspace(viewer, role)) throw notFound('Workspace');
        if (!policies.canSeeWorkspaceUsage(viewer, role)) throw forbidden("Only the workspace owner can export this workspace's usage");
      }
      range = resolveUsageRange(parseDate(req.query.from, 'from'), parseDate(req.query.to, 'to'));
    } catch (error) {
      const status = error instanceof AppError ? HTTP_STATUS[error.code] : undefined;
      if (error instanceof AppError && status) {
        res.status(status).json({ error: { code: error.code, message: error.message } });
        return;
      }
      dependencies.logger.error('usage export failed before it started', { error: error instanceof Error ? error.message : 'unknown' });
      res.status(500).json({ error: { code: 'INTERNAL_SERVER_ERROR', message: 'Internal server error' } });
      return;
    }

    const day = (date: Date): string => date.toISOString().slice(0, 10);
    res.status(200);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="byok-usage-${day(range.from)}-to-${day(range.to)}.csv"`);
    res.setHeader('Cache-Control', 'no-store');
    let aborted = false;
    res.on('close', () => {
      aborted = !res.writableFinished;
    });
    const names = new Map<string, string>();
    try {
      res.write(`${USAGE_EXPORT_COLUMNS.join(',')}\r\n`);
      for await (const rows of dependencies.usage.exportRows(workspaceId, range)) {
        if (aborted) break;
        const unknown = [...new Set(rows.map((row) => row.workspaceId))].filter((id) => !names.has(id));
        if (unknown.length > 0) {
          const found: Array<{ id: string; name: string }> = await dependencies.dataSource.query(`SELECT id, name FROM workspaces WHERE id = ANY($1::uuid[])`, [
            unknown,
          ]);
          for (const workspace of found) names.set(workspace.id, workspace.name);
        }
        const text = rows
          .map((row) =>
            usageExportFields({ row, workspaceName: names.get(row.workspaceId) ?? '' })
              .map(csvField)
              .join(','),
          )
          .join('\r\n');
        // Back-pressure: wait while the client is slower than the database.
        if (!res.write(`${text}\r\n`)) await Promise.race([once(res, 'drain'), once(res, 'close')]);
      }
      res.end();
    } catch (error) {
      dependencies.logger.error('usage export failed while streaming', { error: error instanceof Error ? error.message : 'unknown' });
      // Headers are gone: cutting the connection tells the client the file is incomplete.
      res.destroy();
    }
  });
}
