#!/usr/bin/env node
// Every link in the repository's Markdown must stay inside the repository: a clone has nothing else.
// Fails on links with a scheme (https:, mailto:, …) other than to this machine, on relative links that
// climb out of the repository, and on relative links to files that do not exist.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '*.md'], {
  cwd: root,
  encoding: 'utf8',
})
  .split('\n')
  .filter((file) => file && !file.includes('node_modules/') && existsSync(path.join(root, file)));

const local = /^(https?:)?\/\/(127\.0\.0\.1|localhost)([:/]|$)/;
const problems = [];
for (const file of files) {
  const text = readFileSync(path.join(root, file), 'utf8');
  const targets = [
    ...[...text.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]),
    ...[...text.matchAll(/<((?:[a-z][a-z0-9+.-]*:|\/\/)[^>\s]+)>/gi)].map((m) => m[1]),
    ...[...text.matchAll(/\b(?:href|src)=["']([^"']+)["']/g)].map((m) => m[1]),
    ...[...text.matchAll(/\bhttps?:\/\/[^\s)>`'"]+/g)].map((m) => m[0]),
  ];
  for (const target of targets) {
    if (local.test(target)) continue;
    if (/^([a-z][a-z0-9+.-]*:|\/\/)/i.test(target)) {
      problems.push(`${file}: leaves the repository: ${target}`);
      continue;
    }
    if (target.startsWith('#')) continue;
    const relative = decodeURIComponent(target.split('#')[0]);
    const resolved = relative.startsWith('/') ? path.join(root, relative) : path.resolve(root, path.dirname(file), relative);
    if (resolved !== root && !resolved.startsWith(root + path.sep)) {
      problems.push(`${file}: leaves the repository: ${target}`);
    } else if (!existsSync(resolved)) {
      problems.push(`${file}: no such file: ${target}`);
    }
  }
}
if (problems.length > 0) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log(`links: ${files.length} Markdown files, every link stays in the repository`);
