import { splitRange } from './usage-source';

const at = (iso: string): Date => new Date(iso);
const window = (from: string, to: string) => ({ from: at(from), to: at(to) });
const pieces = (split: ReturnType<typeof splitRange>) =>
  split.raw.map((piece) => `${piece.sign > 0 ? '+' : '-'}${piece.from.toISOString().slice(5, 16)}..${piece.to.toISOString().slice(5, 16)}`);

describe('splitRange', () => {
  const now = at('2026-12-01T22:15:00Z').getTime();

  it('reads whole days from the rollups only', () => {
    const split = splitRange(window('2026-11-02T00:00:00Z', '2026-12-02T00:00:00Z'), now);
    expect(split.days).toEqual({ fromDay: '2026-11-02', toDay: '2026-12-02' });
    expect(split.raw).toEqual([]);
  });

  it('a window ending now reads today whole from the rollups, less the (empty) rest of the day', () => {
    const split = splitRange(window('2026-11-01T22:15:00Z', '2026-12-01T22:15:00Z'), now);
    // The evening of the first day is short: read raw. Today until now would be 22 hours raw: read whole instead.
    expect(split.days).toEqual({ fromDay: '2026-11-02', toDay: '2026-12-02' });
    expect(pieces(split)).toEqual(['+11-01T22:15..11-02T00:00', '-12-01T22:15..12-02T00:00']);
  });

  it('a morning start edge is the whole day less its first hours', () => {
    const split = splitRange(window('2026-11-10T03:00:00Z', '2026-11-20T00:00:00Z'), now);
    expect(split.days).toEqual({ fromDay: '2026-11-10', toDay: '2026-11-20' });
    expect(pieces(split)).toEqual(['-11-10T00:00..11-10T03:00']);
  });

  it('an evening end edge in the past is the whole day less its last hours', () => {
    const split = splitRange(window('2026-11-10T00:00:00Z', '2026-11-20T20:00:00Z'), now);
    expect(split.days).toEqual({ fromDay: '2026-11-10', toDay: '2026-11-21' });
    expect(pieces(split)).toEqual(['-11-20T20:00..11-21T00:00']);
  });

  it('a short window inside one day is read raw; most of a past day is the day less the rest', () => {
    expect(pieces(splitRange(window('2026-11-10T10:00:00Z', '2026-11-10T11:00:00Z'), now))).toEqual(['+11-10T10:00..11-10T11:00']);
    expect(splitRange(window('2026-11-10T10:00:00Z', '2026-11-10T11:00:00Z'), now).days).toBeNull();
    const most = splitRange(window('2026-11-10T01:00:00Z', '2026-11-10T23:00:00Z'), now);
    expect(most.days).toEqual({ fromDay: '2026-11-10', toDay: '2026-11-11' });
    expect(pieces(most)).toEqual(['-11-10T00:00..11-10T01:00', '-11-10T23:00..11-11T00:00']);
  });

  it('a window across midnight with no whole day reads each side the cheaper way', () => {
    const split = splitRange(window('2026-11-10T02:00:00Z', '2026-11-11T01:00:00Z'), now);
    expect(split.days).toEqual({ fromDay: '2026-11-10', toDay: '2026-11-11' });
    expect(pieces(split)).toEqual(['-11-10T00:00..11-10T02:00', '+11-11T00:00..11-11T01:00']);
  });

  it('an empty or reversed window reads nothing', () => {
    expect(splitRange(window('2026-11-10T00:00:00Z', '2026-11-10T00:00:00Z'), now)).toEqual({ days: null, raw: [] });
    expect(splitRange(window('2026-11-11T00:00:00Z', '2026-11-10T00:00:00Z'), now)).toEqual({ days: null, raw: [] });
  });
});
