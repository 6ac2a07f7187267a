import { getProvider, type ProviderId } from './providers/index.js';
import type { KeyStatus } from './api-keys/key-record.js';
import type { FixHint, Reader } from './role-wording.js';

export interface KeyHealthInput {
  provider: ProviderId;
  source: 'WORKSPACE' | 'GLOBAL' | 'NONE';
  /** Status of the key `source` points at; null for NONE. */
  sourceKeyStatus: KeyStatus | null;
  byokEnabled: boolean;
}

/** A broken key as the reader should hear it: what is wrong, what it means, and what they (or whom to ask) can do. */
export interface KeyHealthProblem {
  title: string;
  detail: string;
  hint: FixHint;
}

const ask = (reader: Reader): string => reader.ownerName ?? 'the owner of this workspace';

/** Null when requests for this provider can work; else the problem, worded for the reader (owner, member, admin). */
export function keyHealthProblem(input: KeyHealthInput, reader: Reader): KeyHealthProblem | null {
  const label = getProvider(input.provider).label;
  // KEY_UNREADABLE: the server's encryption keys cannot open the stored key; only setting it again helps.
  if (input.source === 'WORKSPACE' && input.sourceKeyStatus === 'UNREADABLE') {
    return {
      title: `This workspace's ${label} key can't be read`,
      detail: `The server cannot decrypt the stored key, so ${label} requests fail until it is set again. They are never moved to the platform's key.`,
      hint:
        reader.role === 'OWNER'
          ? { text: 'Set the key again on the API keys page.', link: 'API_KEYS' }
          : reader.role === 'MEMBER'
            ? { text: `Ask ${ask(reader)} to set the key again.`, link: null }
            : { text: `Only the workspace's owner (${ask(reader)}) can set it again.`, link: null },
    };
  }
  if (input.source === 'GLOBAL' && input.sourceKeyStatus === 'UNREADABLE') {
    return {
      title: `The platform's ${label} key can't be read`,
      detail: `The server cannot decrypt the stored key, so ${label} requests fail until it is set again.`,
      hint:
        reader.role === 'ADMIN'
          ? { text: 'Set the key again in Integrations.', link: 'INTEGRATIONS' }
          : reader.role === 'OWNER' && input.byokEnabled
            ? { text: "Ask a platform admin to set it again, or add this workspace's own key on the API keys page.", link: 'API_KEYS' }
            : { text: 'Ask a platform admin to set it again.', link: null },
    };
  }
  if (input.source === 'WORKSPACE' && input.sourceKeyStatus === 'INVALID') {
    return {
      title: `${label} rejected this workspace's key`,
      detail: `${label} requests fail until the key is replaced. They are never moved to the platform's key.`,
      hint:
        reader.role === 'OWNER'
          ? { text: 'Replace it with a working key on the API keys page.', link: 'API_KEYS' }
          : reader.role === 'MEMBER'
            ? { text: `Ask ${ask(reader)} to replace it.`, link: null }
            : { text: `Only the workspace's owner (${ask(reader)}) can replace it.`, link: null },
    };
  }
  if (input.source === 'GLOBAL' && input.sourceKeyStatus === 'INVALID') {
    return {
      title: `${label} rejected the platform's key`,
      detail: `${label} requests fail until it is replaced.`,
      hint:
        reader.role === 'ADMIN'
          ? { text: 'Replace it in Integrations.', link: 'INTEGRATIONS' }
          : reader.role === 'OWNER' && input.byokEnabled
            ? { text: "Ask a platform admin to replace it, or add this workspace's own key on the API keys page.", link: 'API_KEYS' }
            : { text: 'Ask a platform admin to replace it.', link: null },
    };
  }
  if (input.source === 'NONE') {
    return {
      title: `No ${label} key`,
      detail: `${label} requests fail: neither this workspace nor the platform has a key in use.`,
      hint:
        reader.role === 'ADMIN'
          ? { text: 'Add a platform key in Integrations.', link: 'INTEGRATIONS' }
          : reader.role === 'OWNER' && input.byokEnabled
            ? { text: "Add this workspace's own key on the API keys page, or ask a platform admin.", link: 'API_KEYS' }
            : reader.role === 'MEMBER' && input.byokEnabled
              ? { text: `Ask ${ask(reader)} to add this workspace's own key, or a platform admin to add one.`, link: null }
              : { text: 'Ask a platform admin to add a platform key.', link: null },
    };
  }
  return null;
}
