import type { ErrorFixer } from './errors.js';

/** Who is reading a message: the workspace's owner, one of its members, or a platform admin looking in. */
export type ReaderRole = 'OWNER' | 'MEMBER' | 'ADMIN';

export interface Reader {
  role: ReaderRole;
  /** The workspace owner's display name, for "Ask <name> …"; null when unknown. */
  ownerName: string | null;
}

/** Where a fix is made, so a screen can link to it. */
export type FixPlace = 'API_KEYS' | 'INTEGRATIONS';

export interface FixHint {
  text: string;
  /** Set only when the reader can go there and fix it themselves. */
  link: FixPlace | null;
}

const ownerOf = (reader: Reader): string => reader.ownerName ?? 'the owner of this workspace';

/**
 * "Who can fix this", worded for the reader: the person who can act is addressed as "you" and gets a place
 * to go; anyone else is told whom to ask, by name, never to do what they cannot.
 */
export function fixHintFor(fixer: ErrorFixer, reader: Reader): FixHint | null {
  switch (fixer) {
    case 'WORKSPACE_OWNER':
      if (reader.role === 'OWNER') return { text: 'You can fix this on the API keys page.', link: 'API_KEYS' };
      if (reader.role === 'MEMBER')
        return {
          text: reader.ownerName ? `Ask ${reader.ownerName}, who owns this workspace, to fix it.` : 'Ask the owner of this workspace to fix it.',
          link: null,
        };
      return { text: `Only the workspace's owner (${ownerOf(reader)}) can fix this.`, link: null };
    case 'PLATFORM_ADMIN':
      return reader.role === 'ADMIN'
        ? { text: 'You can fix this in Integrations.', link: 'INTEGRATIONS' }
        : { text: 'Ask a platform admin to fix it.', link: null };
    case 'TRY_LATER':
      return { text: 'Try again in a moment.', link: null };
    case 'YOU':
    case 'NOBODY':
      return null;
  }
}

/** The reader's role in a workspace, from its `viewerRole` (null = a platform admin who is not a member). */
export function readerRoleOf(viewerRole: 'OWNER' | 'MEMBER' | null | undefined, isAdmin: boolean): ReaderRole {
  if (viewerRole === 'OWNER') return 'OWNER';
  if (viewerRole === 'MEMBER') return 'MEMBER';
  return isAdmin ? 'ADMIN' : 'MEMBER';
}
