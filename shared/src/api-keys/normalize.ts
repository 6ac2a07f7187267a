/**
 * What a pasted key becomes before any check: surrounding whitespace (spaces, tabs, line breaks, NBSP, BOM)
 * removed, as copying from a dashboard or a terminal often adds some. Whitespace inside stays, so the format
 * check still refuses it.
 */
export function normalizePastedKey(key: string): string {
  return key.trim();
}
