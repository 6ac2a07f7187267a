#!/usr/bin/env node
// Import cycles, checked in CI (docs/decisions/2026-12-01-import-cycle-check.md). madge builds the import
// graph (type-only imports included: they couple code as much as any other); this script then looks for
// cycles twice:
// - between files, in shared/src, server/src and web/src (madge's own `circular()`);
// - between the server's parts: each `server/src/modules/<feature>` and each other top-level folder or file
//   of `server/src` is one node, so `modules/a → graphql → modules/b → modules/a` counts even when no file
//   imports itself back. Dependencies must point downwards (docs/ARCHITECTURE.md#dependency-rules).
// Tests are left out: a test may reach across parts.
import path from 'node:path';
import madge from 'madge';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const packages = [
  { dir: 'shared/src', tsConfig: 'shared/tsconfig.json' },
  { dir: 'server/src', tsConfig: 'server/tsconfig.json', parts: true },
  { dir: 'web/src', tsConfig: 'web/tsconfig.json' },
];

const WIRING_IMPORTERS = /^(app\.ts|main\.ts|cli\/)/;

/** The part of server/src a file belongs to: `modules/<feature>`, a top-level folder, or a top-level file. */
function partOf(file) {
  const segments = file.split('/');
  if (segments[0] === 'modules' && segments.length > 2) return `modules/${segments[1]}`;
  return segments[0];
}

/** Strongly connected components with more than one node (Tarjan), each sorted, in a stable order. */
function cyclicComponents(graph) {
  let index = 0;
  const indexOf = new Map();
  const lowOf = new Map();
  const stack = [];
  const onStack = new Set();
  const components = [];
  const visit = (node) => {
    indexOf.set(node, index);
    lowOf.set(node, index);
    index += 1;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!indexOf.has(next)) {
        visit(next);
        lowOf.set(node, Math.min(lowOf.get(node), lowOf.get(next)));
      } else if (onStack.has(next)) {
        lowOf.set(node, Math.min(lowOf.get(node), indexOf.get(next)));
      }
    }
    if (lowOf.get(node) === indexOf.get(node)) {
      const component = [];
      let member;
      do {
        member = stack.pop();
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) components.push(component.sort());
    }
  };
  for (const node of [...graph.keys()].sort()) if (!indexOf.has(node)) visit(node);
  return components;
}

let total = 0;
for (const { dir, tsConfig, parts } of packages) {
  const result = await madge(path.join(root, dir), {
    fileExtensions: ['ts', 'tsx'],
    tsConfig: path.join(root, tsConfig),
    excludeRegExp: [/\.test\.tsx?$/, /node_modules/],
    detectiveOptions: { ts: { skipTypeImports: false }, tsx: { skipTypeImports: false } },
  });
  const cycles = result.circular();
  total += cycles.length;
  console.log(`cycles: ${dir}: ${cycles.length} between files`);
  for (const cycle of cycles) console.log(`  ${[...cycle, cycle[0]].join(' → ')}`);
  if (!parts) continue;

  const graph = new Map();
  const edges = new Map();
  for (const [file, imports] of Object.entries(result.obj())) {
    const from = partOf(file);
    if (!graph.has(from)) graph.set(from, new Set());
    for (const imported of imports) {
      if (imported.startsWith('..')) continue; // another package (@byok/shared)
      const to = partOf(imported);
      if (to === from) continue;
      graph.get(from).add(to);
      const key = `${from} → ${to}`;
      if (!edges.has(key)) edges.set(key, `${file} → ${imported}`);
    }
  }
  // The wiring (service graph, resolvers, entity list) is imported only by the entry points.
  for (const [file, imports] of Object.entries(result.obj())) {
    if (partOf(file) === 'wiring' || WIRING_IMPORTERS.test(file)) continue;
    for (const imported of imports.filter((name) => partOf(name) === 'wiring')) {
      total += 1;
      console.log(`  ${file} imports ${imported}: only app.ts, main.ts and cli/ may import the wiring`);
    }
  }

  const components = cyclicComponents(graph);
  total += components.length;
  console.log(`cycles: ${dir}: ${components.length} between parts (modules/<feature> and top-level folders)`);
  for (const component of components) {
    console.log(`  ${component.join(', ')}`);
    const members = new Set(component);
    for (const [key, example] of edges) {
      const [from, to] = key.split(' → ');
      if (members.has(from) && members.has(to)) console.log(`    ${key}   (e.g. ${example})`);
    }
  }
}
if (total > 0) {
  console.error(`cycles: ${total} import cycle(s): make the dependency point downwards (move the shared piece to a lower part, or inject it)`);
  process.exit(1);
}
