#!/usr/bin/env node
// Summarises a V8 .cpuprofile (node --cpu-prof): self time by function and by where the code lives.
//   node bench/profile-summary.mjs <file.cpuprofile> [top=25]
import fs from 'node:fs';
import path from 'node:path';

const [file, topArg] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: node bench/profile-summary.mjs <file.cpuprofile> [top]\n');
  process.exit(2);
}
const top = Number(topArg ?? 25);
const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
// bench:gateway with BENCH_PROFILE writes window.json next to the profile: the monotonic-clock span (µs) of
// its byok-v1-only phase. Samples outside it (start-up, setup, other variants) are left out.
const windowFile = path.join(path.dirname(file), 'window.json');
const window = fs.existsSync(windowFile) ? JSON.parse(fs.readFileSync(windowFile, 'utf8')) : null;
const selfSamples = new Map();
let total = 0;
let time = profile.startTime;
profile.samples.forEach((id, index) => {
  time += profile.timeDeltas[index];
  if (window && (time < window.startUs || time > window.endUs)) return;
  selfSamples.set(id, (selfSamples.get(id) ?? 0) + 1);
  total += 1;
});

/** Where a frame's code lives: a package, one of ours (server/src/…), Node's internals, or V8/GC. */
function areaOf(url, name) {
  if (!url) return name.startsWith('(') ? name : '(native)';
  const pkg = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  const ours = /\/(server\/src|shared\/(?:src|dist))\/(.*)$/.exec(url);
  if (ours) return `${ours[1]}/${ours[2]}`;
  return url;
}

const byFunction = new Map();
const byArea = new Map();
let idle = 0;
for (const [id, count] of selfSamples) {
  const node = byId.get(id);
  const { functionName, url, lineNumber } = node.callFrame;
  const name = functionName || '(anonymous)';
  if (name === '(idle)') {
    idle += count;
    continue;
  }
  const area = areaOf(url, name);
  const key = `${name}  ${area}${url ? `:${lineNumber + 1}` : ''}`;
  byFunction.set(key, (byFunction.get(key) ?? 0) + count);
  byArea.set(area, (byArea.get(area) ?? 0) + count);
}
const busy = total - idle;
const pct = (count) => `${((100 * count) / busy).toFixed(1)}%`;
if (window) process.stdout.write(`window: the profiled phase (${window.requests} requests, ${((window.endUs - window.startUs) / 1e6).toFixed(1)} s)\n`);
process.stdout.write(`samples: ${total} (${((100 * idle) / total).toFixed(1)}% idle); percentages are of busy samples\n\n`);
process.stdout.write('| self (busy) | where |\n|---:|---|\n');
for (const [area, count] of [...byArea].sort((a, b) => b[1] - a[1]).slice(0, top)) process.stdout.write(`| ${pct(count)} | ${area} |\n`);
process.stdout.write('\n| self (busy) | function |\n|---:|---|\n');
for (const [key, count] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, top)) process.stdout.write(`| ${pct(count)} | \`${key}\` |\n`);
