import type { Reader } from '@byok/shared';
import { createContext, useContext } from 'react';

export interface ReaderContextValue {
  reader: Reader;
  /** Where the owner manages this workspace's keys. */
  apiKeysPath: string;
}

/** Who reads the screen (owner, member, admin) and the owner's name, so messages say "you" or whom to ask. */
export const ReaderContext = createContext<ReaderContextValue | null>(null);

export function useReader(): ReaderContextValue | null {
  return useContext(ReaderContext);
}
