// Writes the GraphQL schema to server/schema.graphql (the committed contract). With --check, fails if it drifted.
import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { buildAppSchema } from '../src/wiring/schema';

async function main(): Promise<void> {
  const target = path.join(__dirname, '..', 'schema.graphql');
  const text = `# Generated from the TypeGraphQL resolvers by \`pnpm --filter @byok/server schema:emit\`. Do not edit.\n\n${printSchema(lexicographicSortSchema(await buildAppSchema()))}\n`;
  if (process.argv.includes('--check')) {
    const current = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : '';
    if (current !== text) {
      process.stderr.write('server/schema.graphql is out of date: run `pnpm --filter @byok/server schema:emit` and commit it.\n');
      process.exit(1);
    }
    process.stdout.write('schema.graphql is up to date\n');
    return;
  }
  fs.writeFileSync(target, text);
  process.stdout.write(`wrote ${target}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
