#!/usr/bin/env node
// Runs the deliberately broken test file (test/hang-proof/) and checks that jest ends it the way the issue asks:
// a summary, a non-zero exit, the late server closed and the untracked leak named, all well within a bound.
// Exit 0 when all of that held; 1 (with the reasons) when not, including when jest had to be killed for hanging.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const serverDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// Start-up grace (120 s) + the watchdog (20 s) + jest's own start: anything longer is a hang.
const BOUND_MS = 240_000;

const started = Date.now();
const child = spawn(process.execPath, [path.join(serverDir, 'node_modules', 'jest', 'bin', 'jest.js'), '--selectProjects', 'hang-proof'], {
  cwd: serverDir,
  env: { ...process.env, BYOK_HANG_PROOF: '1', NODE_OPTIONS: '--experimental-vm-modules --disable-warning=ExperimentalWarning' },
  stdio: ['ignore', 'pipe', 'pipe'],
});
let output = '';
for (const stream of [child.stdout, child.stderr]) {
  stream.on('data', (chunk) => {
    output += chunk.toString();
    process.stdout.write(chunk);
  });
}
let hung = false;
const killer = setTimeout(() => {
  hung = true;
  child.kill('SIGKILL');
}, BOUND_MS);

child.on('exit', (code, signal) => {
  clearTimeout(killer);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const problems = [
    hung && `jest was still running after ${BOUND_MS / 1000} s: it hung`,
    !hung && code === 0 && 'jest exited 0 although its tests failed',
    !/Tests:\s+\d+ failed/.test(output) && 'no summary with the failed tests',
    !/closed a test server, which finished starting after the file had ended/.test(output) && 'the late server was not reported closed',
    !/jest was still running 20 s after the run ended; open handles: .*TCPServerWrap/.test(output) && 'the watchdog did not name the leaked server',
  ].filter(Boolean);
  process.stdout.write(`\n[prove-no-hang] jest ended after ${seconds} s with ${signal ?? `exit ${code}`}\n`);
  if (problems.length > 0) {
    process.stdout.write(`[prove-no-hang] FAILED:\n  ${problems.join('\n  ')}\n`);
    process.exit(1);
  }
  process.stdout.write('[prove-no-hang] OK: a summary, a non-zero exit, the late server closed, the leak named, no hang\n');
});
