/**
 * Everything a test starts that keeps a process alive — the test server, a child server, the fakes, a test database —
 * is tracked here, so that no test file leaves one running (docs/decisions/2026-12-08-tests-never-hang.md).
 *
 * Jest keeps one module registry per test file, so this list is per file. When the file ends, the test environment
 * (support/jest-environment.ts) calls `sweepTestResources`: it waits (bounded) for anything still starting — a start
 * whose `beforeAll` timed out — and closes it as soon as it finishes, then closes whatever else is still open: a
 * server that starts late is closed, never left holding jest open. Outside jest (the browser tests, the benchmarks)
 * nothing sweeps, and tracking costs a set entry.
 */

export interface TrackedResource {
  /** Closes it once (later calls share the first close) and forgets it. */
  close(): Promise<void>;
}

interface Entry {
  label: string;
  close(): Promise<void>;
}

/** Thrown to whoever still waits for a start that finished after its test file had ended (the resource is closed). */
class StartedTooLateError extends Error {
  constructor(label: string) {
    super(`${label} finished starting after its test file had ended (its hook timed out); it was closed at once`);
  }
}

const open = new Set<Entry>();
const starting = new Set<Promise<unknown>>();
const lateClosings: Array<Promise<void>> = [];
const lateLabels: string[] = [];
let swept = false;

/** Registers something started that must be closed; call the returned `close` instead of the resource's own. */
export function trackTestResource(label: string, close: () => Promise<void>): TrackedResource {
  let closing: Promise<void> | null = null;
  const entry: Entry = {
    label,
    close() {
      open.delete(entry);
      closing ??= close();
      return closing;
    },
  };
  if (swept) {
    lateLabels.push(label);
    lateClosings.push(entry.close().catch(() => undefined));
    throw new StartedTooLateError(label);
  }
  open.add(entry);
  return { close: () => entry.close() };
}

/** Marks a start as under way, so the sweep waits for it (and closes what it started) instead of ending without it. */
export function whileStarting<T>(start: Promise<T>): Promise<T> {
  starting.add(start);
  const settled = (): void => {
    starting.delete(start);
  };
  start.then(settled, settled);
  return start;
}

export interface SweepReport {
  /** What was still open when the file ended (the file did not close it). */
  closed: string[];
  /** What finished starting after the file ended and was closed then. */
  closedLate: string[];
  /** What was still starting when the wait ran out (it will close itself if it ever finishes). */
  stillStarting: number;
  errors: string[];
}

/** Waits up to `graceMs` for starts under way (closing what they start), then closes everything still open, newest first. */
export async function sweepTestResources(graceMs: number): Promise<SweepReport> {
  swept = true;
  const report: SweepReport = { closed: [], closedLate: [], stillStarting: 0, errors: [] };
  // Starts first: what they start may need what is already open (a server's database).
  if (starting.size > 0) {
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, graceMs);
    });
    await Promise.race([Promise.allSettled([...starting]), waited]);
    clearTimeout(timer);
  }
  await Promise.allSettled(lateClosings);
  report.closedLate.push(...lateLabels);
  report.stillStarting = starting.size;
  for (const entry of [...open].reverse()) {
    report.closed.push(entry.label);
    await entry.close().catch((error: unknown) => report.errors.push(`${entry.label}: ${String(error)}`));
  }
  return report;
}

// The test environment lives outside the test file's module registry: it finds the sweep on the file's global.
(globalThis as { __byokSweepTestResources?: typeof sweepTestResources }).__byokSweepTestResources = sweepTestResources;
