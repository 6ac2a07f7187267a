/** A second server as a real child process (`node src/main.ts`): no module state shared with the test's own server. */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { must } from './must';
import { trackTestResource, whileStarting } from './test-resources';

const SERVER_ROOT = path.resolve(__dirname, '..', '..');
// Compiling src/ with swc and migrating a fresh database, on a loaded 2-core machine.
const START_TIMEOUT_MS = 120_000;

export interface ChildServer {
  url: string;
  output: string[];
  /** Sends a signal (SIGKILL: a crash; SIGTERM: a graceful stop) and resolves once the process has exited. */
  kill(signal: NodeJS.Signals): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts `src/main.ts` in a separate Node process with the given environment; resolves once it listens. Tracked
 * (support/test-resources.ts): stopped when the test file ends even if the file never got to stop it, and killed if
 * it does not start in time.
 */
export function startChildServer(env: Record<string, string>): Promise<ChildServer> {
  return whileStarting(start(env));
}

async function start(env: Record<string, string>): Promise<ChildServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'byok-child-'));
  const child: ChildProcess = spawn(process.execPath, ['-r', '@swc-node/register', 'src/main.ts'], {
    cwd: SERVER_ROOT,
    env: { PATH: process.env.PATH ?? '', METRICS_PORT: '0', ...env, BYOK_DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  const tracked = trackTestResource('a child server process', stop);
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`child server did not start within ${START_TIMEOUT_MS} ms:\n${output.join('')}`)), START_TIMEOUT_MS);
    const onData = (chunk: Buffer): void => {
      output.push(chunk.toString('utf8'));
      const match = /byok is running at (http:\/\/127\.0\.0\.1:\d+)/.exec(output.join(''));
      if (match) {
        clearTimeout(timer);
        resolve(must(match[1], 'the listening URL'));
      }
    };
    must(child.stdout, 'the child stdout pipe').on('data', onData);
    must(child.stderr, 'the child stderr pipe').on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`child server exited with ${code}:\n${output.join('')}`));
    });
  }).catch(async (error: unknown) => {
    await tracked.close();
    throw error;
  });
  const kill = async (signal: NodeJS.Signals): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill(signal);
      await exited;
    }
    await tracked.close();
  };
  return { url, output, kill, stop: () => tracked.close() };
}
