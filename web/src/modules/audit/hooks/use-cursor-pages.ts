import { useState } from 'react';

/** Page-by-page cursor navigation: remembers the cursors behind the current page so "Previous" works. */
export function useCursorPages() {
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  return {
    after: cursors[cursors.length - 1],
    page: cursors.length,
    hasPrevious: cursors.length > 1,
    next(endCursor: string | null | undefined) {
      if (endCursor) setCursors((current) => [...current, endCursor]);
    },
    previous() {
      setCursors((current) => (current.length > 1 ? current.slice(0, -1) : current));
    },
    reset() {
      setCursors([null]);
    },
  };
}
