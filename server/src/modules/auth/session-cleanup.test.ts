import { createLogger } from '../../logging/logger';
import { startSessionCleanup } from './session-cleanup';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('startSessionCleanup', () => {
  it('sweeps at start, then on every interval until stopped', async () => {
    const lines: string[] = [];
    let calls = 0;
    const cleanup = await startSessionCleanup(
      async () => {
        calls += 1;
        return 2;
      },
      createLogger('info', (line) => lines.push(line)),
      20,
    );
    expect(calls).toBe(1);
    // Wait for two more sweeps (bounded), not a fixed sleep: a loaded machine may fire timers late.
    for (let waited = 0; calls < 3 && waited < 5000; waited += 10) await sleep(10);
    await cleanup.stop();
    const afterStop = calls;
    expect(afterStop).toBeGreaterThanOrEqual(3);
    await sleep(60);
    expect(calls).toBe(afterStop);
    expect(lines.filter((line) => line.includes('deleted expired sessions'))).toHaveLength(afterStop);
  });

  it('logs a failed sweep instead of throwing, and keeps going', async () => {
    const lines: string[] = [];
    let calls = 0;
    const cleanup = await startSessionCleanup(
      async () => {
        calls += 1;
        throw new Error('database unreachable');
      },
      createLogger('info', (line) => lines.push(line)),
      20,
    );
    await sleep(50);
    await cleanup.stop();
    expect(calls).toBeGreaterThanOrEqual(2);
    expect(lines[0]).toMatch(/expired-session cleanup failed.*database unreachable/);
  });

  it('stop waits for a sweep in progress', async () => {
    let release: () => void = () => {};
    let sweeps = 0;
    const cleanup = await startSessionCleanup(
      () => {
        sweeps += 1;
        if (sweeps === 1) return Promise.resolve(0);
        return new Promise<number>((resolve) => {
          release = () => resolve(0);
        });
      },
      createLogger('silent'),
      10,
    );
    await sleep(25); // the second sweep is now pending
    expect(sweeps).toBe(2); // and no third one overlaps it
    let stopped = false;
    const stopping = cleanup.stop().then(() => {
      stopped = true;
    });
    await sleep(10);
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(stopped).toBe(true);
  });
});
