import fs from 'node:fs';
import path from 'node:path';
import {
  buildSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLInputType,
  type GraphQLObjectType,
} from 'graphql';
import { STREAM_PATH } from '../ai/ai-helpers';
import { signInAdmin } from '../../support/factories';
import { startTestServer, type TestServer } from '../../support/test-server';
import { must } from '../../support/must';

/**
 * One input rule for every text argument: the test walks the committed schema (server/schema.graphql), so a text
 * argument added later is covered without editing this file.
 */
const schema = buildSchema(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'schema.graphql'), 'utf8'));
const TEXT_SCALARS = new Set(['String', 'ID']);
const BAD_VALUES: Array<[string, string]> = [
  ['a NUL byte', 'bad\u0000value'],
  ['an escape character', 'bad\u001bvalue'],
  ['a C1 control', 'bad\u0085value'],
];

/** A valid-shaped value for a type: only what is needed to reach the resolver. */
function sample(type: GraphQLInputType): unknown {
  if (isNonNullType(type)) return sample(type.ofType);
  if (isListType(type)) return [sample(type.ofType)];
  if (isEnumType(type)) return must(type.getValues()[0], `a value of ${type.name}`).value as unknown;
  if (isInputObjectType(type)) {
    return Object.fromEntries(
      Object.values(type.getFields())
        .filter((field) => isNonNullType(field.type))
        .map((field) => [field.name, sample(field.type)]),
    );
  }
  if (isScalarType(type)) {
    if (type.name === 'Int' || type.name === 'Float') return 1;
    if (type.name === 'Boolean') return false;
    if (type.name === 'DateTime') return '2026-01-01T00:00:00.000Z';
    if (type.name === 'JSONObject') return {};
    return '0b9c6f5e-2f59-4c8e-9d3c-8b5d5f1f0a11';
  }
  throw new Error(`no sample for ${String(type)}`);
}

/** Dotted paths (as the rule names them) of every text slot inside an argument's type. */
function textSlots(type: GraphQLInputType, at: string, seen = new Set<string>()): string[] {
  if (isNonNullType(type)) return textSlots(type.ofType, at, seen);
  if (isListType(type)) return textSlots(type.ofType, `${at}.0`, seen);
  if (isScalarType(type)) return TEXT_SCALARS.has(type.name) ? [at] : [];
  if (isInputObjectType(type)) {
    if (seen.has(type.name)) return [];
    const inner = new Set(seen).add(type.name);
    return Object.values(type.getFields()).flatMap((field) => textSlots(field.type, `${at}.${field.name}`, inner));
  }
  return [];
}

/** Sets the value at a dotted path inside a sampled argument (sample() already built every required level). */
function setAt(target: Record<string, unknown>, dotted: string, value: unknown): void {
  const parts = dotted.split('.');
  let container: Record<string, unknown> = target;
  for (const part of parts.slice(0, -1)) container = (container[part] ??= {}) as Record<string, unknown>;
  container[must(parts.at(-1), `the last part of ${dotted}`)] = value;
}

interface Case {
  operation: 'query' | 'mutation';
  field: string;
  slot: string;
  document: string;
  variables: (bad: string) => Record<string, unknown>;
}

function cases(): Case[] {
  const result: Case[] = [];
  const roots: Array<['query' | 'mutation', GraphQLObjectType | null | undefined]> = [
    ['query', schema.getQueryType()],
    ['mutation', schema.getMutationType()],
  ];
  for (const [operation, root] of roots) {
    if (!root) continue;
    for (const field of Object.values(root.getFields())) {
      for (const argument of field.args) {
        for (const slot of textSlots(argument.type, argument.name)) {
          const declarations = field.args.map((arg) => `$${arg.name}: ${String(arg.type)}`).join(', ');
          const passing = field.args.map((arg) => `${arg.name}: $${arg.name}`).join(', ');
          const selection = isObjectType(getNamedType(field.type)) || !isScalarType(getNamedType(field.type)) ? ' { __typename }' : '';
          result.push({
            operation,
            field: field.name,
            slot,
            document: `${operation}(${declarations}) { ${field.name}(${passing})${selection} }`,
            variables: (bad) => {
              const variables: Record<string, unknown> = {};
              for (const arg of field.args) if (isNonNullType(arg.type)) variables[arg.name] = sample(arg.type);
              if (slot === argument.name)
                variables[argument.name] = isListType(isNonNullType(argument.type) ? argument.type.ofType : argument.type) ? [bad] : bad;
              else {
                variables[argument.name] ??= sample(argument.type);
                const inner = slot.slice(argument.name.length + 1);
                setAt(variables[argument.name] as Record<string, unknown>, inner, bad);
              }
              return variables;
            },
          });
        }
      }
    }
  }
  return result;
}

const ALL_CASES = cases();

let server: TestServer;
let admin: { token: string };
beforeAll(async () => {
  server = await startTestServer();
  admin = await signInAdmin(server);
});
afterAll(async () => {
  await server.close();
});

it('finds the text arguments of the schema (signUp, complete, the admin search, …)', () => {
  const slots = ALL_CASES.map((testCase) => `${testCase.field}(${testCase.slot})`);
  expect(slots).toEqual(
    expect.arrayContaining(['signUp(email)', 'signIn(password)', 'addWorkspaceMember(email)', 'complete(input.messages.0.content)', 'complete(input.model)']),
  );
  expect(slots.length).toBeGreaterThan(25);
});

describe.each(BAD_VALUES)('%s', (_label, bad) => {
  it.each(ALL_CASES.map((testCase) => [`${testCase.field}(${testCase.slot})`, testCase] as const))(
    'in %s → BAD_USER_INPUT naming the field, never a 500',
    async (_name, testCase) => {
      const result = await server.graphql(testCase.document, testCase.variables(bad), admin);
      expect(result.status).toBeLessThan(500);
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: testCase.slot });
    },
  );
});

it('tab and newline pass in a chat message but not in a name or an email', async () => {
  const name = await server.graphql(`mutation($n: String!) { createWorkspace(name: $n) { id } }`, { n: 'two\nlines' }, admin);
  expect(name.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'name' });
  const message = await server.graphql(
    `mutation($w: ID!, $i: CompletionInput!) { complete(workspaceId: $w, input: $i) { text } }`,
    {
      w: '0b9c6f5e-2f59-4c8e-9d3c-8b5d5f1f0a11',
      i: { provider: 'OPENAI', model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'line one\n\tline two' }] },
    },
    admin,
  );
  // Past the input rule: the next check is whether the workspace exists.
  expect(message.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
});

it('the streaming endpoint applies the same rule', async () => {
  const response = await server.fetch(STREAM_PATH, {
    method: 'POST',
    auth: admin,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ workspaceId: 'x\u0000', input: { provider: 'OPENAI', model: 'gpt\u0000', messages: [{ role: 'user', content: 'hi' }] } }),
  });
  expect(response.status).toBe(400);
  expect(JSON.parse(response.text)).toMatchObject({ error: { code: 'BAD_USER_INPUT', field: 'workspaceId' } });
});
