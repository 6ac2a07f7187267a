import type { DataSource } from 'typeorm';
import { badInput } from '../../errors';
import { pageSize, toPage, type PageInfoType } from '../../graphql/connection';
import { WorkspaceEntity } from './workspace.entity';
import { isUuid } from '../../validation/uuid';

export interface WorkspacePage {
  workspaces: Array<{ workspace: WorkspaceEntity; cursor: string }>;
  pageInfo: PageInfoType;
  totalCount: number;
}

const MAX_SEARCH_LENGTH = 200;

/** LIKE treats % and _ as wildcards and \ as the escape: a search for "50%" means those characters. */
export const escapeLike = (text: string): string => text.replace(/[\\%_]/g, (character) => `\\${character}`);

const encodeCursor = (workspace: WorkspaceEntity): string => Buffer.from(JSON.stringify([workspace.name.toLowerCase(), workspace.id])).toString('base64url');

function decodeCursor(cursor: string): { name: string; id: string } {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.length === 2 && typeof parsed[0] === 'string' && typeof parsed[1] === 'string' && isUuid(parsed[1])) {
      return { name: parsed[0], id: parsed[1] };
    }
  } catch {
    // Falls through to the error below.
  }
  throw badInput('after must be a cursor returned by a previous page', 'after');
}

/** An extra SQL condition on the alias `workspace`, with its parameters (Admin → Workspaces filters). */
export interface WorkspaceCondition {
  sql: string;
  parameters: Record<string, unknown>;
}

/** Every workspace, by name, for platform admins troubleshooting (Admin → Workspaces). Callers check the admin role. */
export class WorkspaceDirectoryService {
  constructor(private readonly dataSource: DataSource) {}

  /** `condition`: an extra SQL condition on the alias `workspace` (Admin → Workspaces filters), with its parameters. */
  async search(search: string | null, first: number | null, after: string | null, condition: WorkspaceCondition | null = null): Promise<WorkspacePage> {
    const limit = pageSize(first);
    const term = search?.trim() ?? '';
    if (term.length > MAX_SEARCH_LENGTH) throw badInput(`search must be at most ${MAX_SEARCH_LENGTH} characters`, 'search');
    const cursor = after ? decodeCursor(after) : null;

    const filtered = () => {
      const builder = this.dataSource.getRepository(WorkspaceEntity).createQueryBuilder('workspace');
      if (term) builder.andWhere(`workspace.name ILIKE :pattern ESCAPE '\\'`, { pattern: `%${escapeLike(term)}%` });
      if (condition) builder.andWhere(condition.sql, condition.parameters);
      return builder;
    };
    const pageQuery = filtered()
      .orderBy('lower(workspace.name)', 'ASC')
      .addOrderBy('workspace.id', 'ASC')
      .limit(limit + 1);
    if (cursor) pageQuery.andWhere('(lower(workspace.name), workspace.id) > (:name, :id)', cursor);
    const [rows, totalCount] = await Promise.all([pageQuery.getMany(), filtered().getCount()]);
    const page = toPage(rows, limit, encodeCursor);
    return { workspaces: page.items.map((workspace) => ({ workspace, cursor: encodeCursor(workspace) })), pageInfo: page.pageInfo, totalCount };
  }
}
