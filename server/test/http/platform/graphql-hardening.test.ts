import { signUpUser, type TestUser } from '../../support/factories';
import { errorCode, expectData, startTestServer, type GraphQLResult, type TestServer } from '../../support/test-server';
import { must } from '../../support/must';

/** A valid document `levels` fields deep (introspection's type chain is the schema's only deep path). */
const deepTypeQuery = (levels: number): string =>
  `{ __type(name: "Query") { fields { type ${'{ ofType '.repeat(levels - 4)}{ name }${' }'.repeat(levels - 4)} } } }`;

/** A chain of fragments on Query, each spreading the next: deep in fragments, shallow in fields. */
const fragmentChain = (levels: number): string => {
  const fragments = Array.from({ length: levels }, (_, index) =>
    index === levels - 1 ? `fragment F${index} on Query { me { id } }` : `fragment F${index} on Query { ...F${index + 1} }`,
  );
  return `{ ...F0 }\n${fragments.join('\n')}`;
};

/** Each fragment spreads the previous one `width` times: a few hundred bytes that expand to width^levels fields. */
const fragmentFanOut = (width: number, levels: number): string => {
  const fragments = [`fragment Q0 on Query { me { id email name isAdmin } }`];
  for (let level = 1; level <= levels; level += 1)
    fragments.push(
      `fragment Q${level} on Query { ${Array(width)
        .fill(`...Q${level - 1}`)
        .join(' ')} }`,
    );
  return `{ ...Q${levels} }\n${fragments.join('\n')}`;
};

const messagesOf = (result: GraphQLResult<unknown>): string[] => (result.errors ?? []).map((error) => error.message);

describe('GraphQL hardening', () => {
  let server: TestServer;
  let user: TestUser;
  beforeAll(async () => {
    // Development mode: the strictest case for "no stack traces", since Apollo would include them there by default.
    server = await startTestServer({ env: { NODE_ENV: 'development' } });
    user = await signUpUser(server, 'hardening');
  });
  afterAll(async () => {
    await server.close();
  });

  const stillServing = async (): Promise<void> => {
    expect(expectData(await server.graphql<{ me: { id: string } }>(`{ me { id } }`, {}, { token: user.token })).me).toEqual({ id: user.id });
  };

  describe('abusive documents are rejected before execution, and the server keeps serving', () => {
    it.each([
      ['depth', () => deepTypeQuery(12), /Query depth limit of 10 exceeded/, 'GRAPHQL_VALIDATION_FAILED'],
      [
        'aliases',
        () => `{ ${Array.from({ length: 16 }, (_, index) => `a${index}: me { id }`).join(' ')} }`,
        /Aliases limit of 15 exceeded/,
        'GRAPHQL_VALIDATION_FAILED',
      ],
      ['cost', () => fragmentFanOut(14, 3), /Query Cost limit of 5000 exceeded/, 'GRAPHQL_VALIDATION_FAILED'],
      ['directives', () => `{ me ${'@include(if: true) '.repeat(21)}{ id } }`, /Directives limit of 20 exceeded/, 'GRAPHQL_VALIDATION_FAILED'],
      ['tokens', () => `{ ${'me { id } '.repeat(700)}}`, /Document contains more that 2000 tokens/, 'GRAPHQL_PARSE_FAILED'],
    ] as const)('%s', async (_limit, document, message, code) => {
      const started = Date.now();
      const result = await server.graphql(document(), {}, { token: user.token });
      expect(Date.now() - started).toBeLessThan(2000);
      expect(result.status).toBe(400);
      expect(result.data).toBeNull();
      expect(messagesOf(result).some((text) => message.test(text))).toBe(true);
      for (const error of must(result.errors, 'the errors')) expect(error.extensions?.code).toBe(code);
      expect(result.text).not.toMatch(/stacktrace/i);
      await stillServing();
    });

    it('a document just inside the limits runs', async () => {
      const result = await server.graphql<Record<string, { id: string }>>(
        `{ ${Array.from({ length: 15 }, (_, index) => `a${index}: me { id }`).join(' ')} }`,
        {},
        { token: user.token },
      );
      expect(Object.keys(expectData(result))).toHaveLength(15);
      expect(expectData(await server.graphql(deepTypeQuery(10), {}, { token: user.token }))).toHaveProperty('__type.fields');
      // Fragments do not count as levels: a client's shared fragments are never mistaken for depth.
      expect(expectData(await server.graphql(fragmentChain(15), {}, { token: user.token }))).toEqual({ me: { id: user.id } });
    });
  });

  describe('errors', () => {
    it('never carry a stack trace, whatever their kind', async () => {
      const results = [
        await server.graphql(`{ workspaces { id } }`), // UNAUTHENTICATED from the auth checker
        await server.graphql(`{ workspace(id: "00000000-0000-4000-8000-000000000000") { id } }`, {}, { token: user.token }), // NOT_FOUND
        await server.graphql(`mutation { createWorkspace(name: "") { id } }`, {}, { token: user.token }), // BAD_USER_INPUT
        await server.graphql(`{ me { nope } }`), // validation
        await server.graphql(`{ me {`), // syntax
        await server.graphql(`query($x: Int!) { me { id } }`, { x: 'not a number' }), // variable coercion
      ];
      for (const result of results) {
        expect(result.errors?.length).toBeGreaterThan(0);
        expect(result.text).not.toMatch(/stacktrace|exception/i);
        expect(result.text).not.toMatch(/\n\s+at |\.ts:\d+|node_modules/);
      }
    });

    it('an unexpected failure becomes INTERNAL_SERVER_ERROR "Internal server error", with the cause only in the log', async () => {
      await server.app.dataSource.query(`ALTER TABLE workspaces RENAME TO workspaces_moved_away`);
      try {
        const result = await server.graphql(`{ workspaces { id } }`, {}, { token: user.token });
        expect(result.errors).toEqual([
          { message: 'Internal server error', path: ['workspaces'], locations: [{ line: 1, column: 3 }], extensions: { code: 'INTERNAL_SERVER_ERROR' } },
        ]);
        expect(result.text).not.toMatch(/workspaces_moved_away|relation|SELECT|QueryFailedError/);
        expect(server.logs.some((line) => line.includes('unexpected error in GraphQL operation') && line.includes('QueryFailedError'))).toBe(true);
      } finally {
        await server.app.dataSource.query(`ALTER TABLE workspaces_moved_away RENAME TO workspaces`);
      }
      await stillServing();
    });

    it('a failure while authenticating the request is also a bare INTERNAL_SERVER_ERROR', async () => {
      // A session never used yet, so authentication must read the database (a used one may be served from the
      // in-process cache).
      const signedIn = expectData(
        await server.graphql<{ signIn: { token: string } }>(
          `mutation($email: String!, $password: String!) { signIn(email: $email, password: $password) { token } }`,
          {
            email: user.email,
            password: user.password,
          },
        ),
      );
      await server.app.dataSource.query(`ALTER TABLE sessions RENAME TO sessions_moved_away`);
      try {
        const result = await server.graphql(`{ me { id } }`, {}, { token: signedIn.signIn.token });
        expect(result.status).toBe(500);
        expect(result.errors).toEqual([{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }]);
        expect(result.text).not.toMatch(/sessions|relation|Context creation/);
      } finally {
        await server.app.dataSource.query(`ALTER TABLE sessions_moved_away RENAME TO sessions`);
      }
      await stillServing();
    });
  });

  describe('HTTP surface', () => {
    it('/healthz and /readyz answer; unknown API paths are a JSON 404', async () => {
      expect(JSON.parse((await server.fetch('/healthz')).text)).toEqual({ status: 'ok' });
      expect(JSON.parse((await server.fetch('/readyz')).text)).toEqual({ status: 'ready' });
      const missing = await server.fetch('/api/nothing-here');
      expect(missing.status).toBe(404);
      expect(JSON.parse(missing.text)).toEqual({ error: { code: 'NOT_FOUND', message: 'Not found' } });
    });

    it('sends conservative security headers and no X-Powered-By', async () => {
      const response = await server.fetch('/healthz');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      expect(response.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
      expect(response.headers.get('x-powered-by')).toBeNull();
    });

    it('introspection stays available outside production (developer tools)', async () => {
      const result = await server.graphql<{ __schema: { queryType: { name: string } } }>(`{ __schema { queryType { name } } }`);
      expect(expectData(result).__schema.queryType.name).toBe('Query');
      expect(errorCode(result)).toBeUndefined();
    });
  });
});
