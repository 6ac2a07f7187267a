// The built SPA must carry no key material: not the test canaries, nothing shaped like a provider key.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { webDir } from './support/environment.mjs';
import { CANARY } from './support/canaries.mjs';

function filesUnder(directory) {
  return fs.readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(directory, entry.name);
    return entry.isDirectory() ? filesUnder(full) : [full];
  });
}

describe('built bundle (web/dist)', () => {
  const dist = path.join(webDir, 'dist');
  const files = filesUnder(dist);

  it('exists (pnpm -r build ran first)', () => {
    assert.ok(
      files.some((file) => file.endsWith('index.html')),
      'web/dist/index.html is missing: run pnpm -r build',
    );
    assert.ok(
      files.some((file) => file.endsWith('.js')),
      'no JavaScript in web/dist',
    );
  });

  it('contains no key material', () => {
    for (const file of files) {
      const text = fs.readFileSync(file, 'utf8');
      for (const secret of Object.values(CANARY)) assert.ok(!text.includes(secret), `${path.relative(dist, file)} contains a test key`);
      // A prefix followed by a long key body: the registry's bare prefixes ("sk-", "sk-ant-") are fine.
      const keyShaped = text.match(/\b(?:sk-(?:ant-|proj-)?|byok_)[A-Za-z0-9_-]{16,}/g) ?? [];
      assert.deepEqual(keyShaped, [], `${path.relative(dist, file)} contains something shaped like a key`);
      // The SPA keeps nothing in web storage: the session is an httpOnly cookie the page cannot read.
      assert.ok(!/\b(?:localStorage|sessionStorage)\b/.test(text), `${path.relative(dist, file)} uses web storage`);
    }
  });
});
