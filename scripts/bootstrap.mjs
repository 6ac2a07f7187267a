#!/usr/bin/env node
// `npm start` / `npm test` on a fresh clone with only Node.js 20: get pnpm, install, build, then start or test.
// Uses Node built-ins only, because nothing else is installed yet when it runs.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const PNPM_VERSION = '12.4.2';
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const command = process.argv[2];

function log(message) {
  process.stdout.write(`\x1b[36m[byok]\x1b[0m ${message}\n`);
}

function pnpmCommand() {
  const probe = spawnSync('pnpm', ['--version'], { encoding: 'utf8' });
  if (probe.status === 0 && probe.stdout.trim() === PNPM_VERSION) return ['pnpm'];
  log(`installing pnpm ${PNPM_VERSION} (npm i -g pnpm@${PNPM_VERSION})`);
  const install = spawnSync('npm', ['i', '-g', `pnpm@${PNPM_VERSION}`], { stdio: 'inherit' });
  if (install.status === 0) return ['pnpm'];
  // No permission for a global install: run pnpm through npx instead (slower, but needs no privileges).
  log('global install failed; using npx');
  return ['npx', '-y', `pnpm@${PNPM_VERSION}`];
}

function run(pnpm, args, options = {}) {
  const [bin, ...prefix] = pnpm;
  const result = spawnSync(bin, [...prefix, ...args], { cwd: root, stdio: 'inherit', ...options });
  if (result.status !== 0) {
    process.stderr.write(`\n[byok] \`pnpm ${args.join(' ')}\` failed (exit ${result.status ?? result.signal})\n`);
    process.exit(result.status ?? 1);
  }
}

function ensureChromium() {
  if (process.env.BYOK_CHROMIUM_PATH || fs.existsSync('/usr/bin/chromium')) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { encoding: 'utf8' }).status === 0;
  if (isRoot && hasApt) {
    log('installing Chromium for the browser tests (apt-get install -y chromium, about a minute)');
    execFileSync('apt-get', ['update', '-q'], { stdio: 'inherit' });
    execFileSync('apt-get', ['install', '-y', '-q', 'chromium'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    return;
  }
  process.stderr.write('[byok] Chromium is needed for the browser tests: install it (Debian: apt-get install chromium) or set BYOK_CHROMIUM_PATH.\n');
  process.exit(1);
}

if (command !== 'start' && command !== 'test') {
  process.stderr.write('usage: node scripts/bootstrap.mjs start|test\n');
  process.exit(2);
}

const pnpm = pnpmCommand();
log('installing packages');
run(pnpm, ['install', '--frozen-lockfile']);
log('building shared, server and web');
run(pnpm, ['-r', 'build']);

if (command === 'start') {
  log(process.env.DATABASE_URL ? 'starting on the configured Postgres' : 'starting on the embedded Postgres in ./.data');
  const child = spawn(process.execPath, ['server/dist/main.js'], {
    cwd: root,
    stdio: 'inherit',
    env: { BYOK_DATA_DIR: path.join(root, '.data'), ...process.env },
  });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
} else {
  ensureChromium();
  log(
    process.env.DATABASE_URL
      ? `testing against ${new URL(process.env.DATABASE_URL).host}`
      : 'testing on the embedded Postgres (set DATABASE_URL to use a real one)',
  );
  run(pnpm, ['-r', '--workspace-concurrency=1', 'test']);
  log('all test suites passed');
}
