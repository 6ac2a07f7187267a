import { signUpUser, type TestUser } from '../../support/factories';
import { errorCode, expectData, startTestServer, type GraphQLResult, type TestServer } from '../../support/test-server';
import { must } from '../../support/must';

const SIGN_IN = `mutation($email: String!, $password: String!) { signIn(email: $email, password: $password) { token } }`;
const MAX_FAILURES = 3;

/**
 * The server trusts X-Forwarded-For from loopback (`trust proxy`), so each test speaks from its own
 * 127.x.y.z client address: one address locked out never affects another test's.
 */
let nextAddress = 10;
const freshAddress = (): string => `127.0.${Math.floor(nextAddress / 250)}.${(nextAddress++ % 250) + 2}`;

describe('accounts: sign-in throttling', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { SIGN_IN_MAX_FAILURES: String(MAX_FAILURES), SIGN_IN_LOCK_SECONDS: '600' } });
  });
  afterAll(async () => {
    await server.close();
  });

  const signIn = async (email: string, password: string, from: string): Promise<GraphQLResult<{ signIn: { token: string } }>> => {
    const response = await server.fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': from },
      body: JSON.stringify({ query: SIGN_IN, variables: { email, password } }),
    });
    const body = JSON.parse(response.text) as { data?: { signIn: { token: string } } | null; errors?: GraphQLResult['errors'] };
    return { status: response.status, data: body.data ?? null, errors: body.errors, headers: response.headers, text: response.text };
  };
  const passwordChecks = (): number => server.app.services.auth.passwordWork.started;

  const lockOut = async (user: TestUser, from: string): Promise<GraphQLResult<unknown>> => {
    for (let attempt = 1; attempt <= MAX_FAILURES; attempt += 1) {
      expect(errorCode(await signIn(user.email, 'wrong-password', from))).toBe('UNAUTHENTICATED');
    }
    return signIn(user.email, 'wrong-password', from);
  };

  it(`refuses attempts after ${MAX_FAILURES} failures, even the right password, and says when to retry`, async () => {
    const user = await signUpUser(server, 'victim');
    const from = freshAddress();
    const last = await lockOut(user, from);
    expect(errorCode(last)).toBe('TOO_MANY_ATTEMPTS');

    const right = await signIn(user.email, user.password, from);
    expect(right.data).toBeNull();
    expect(errorCode(right)).toBe('TOO_MANY_ATTEMPTS');
    const retryAfterSeconds = right.errors?.[0]?.extensions?.retryAfterSeconds;
    expect(retryAfterSeconds).toBeGreaterThan(500);
    expect(retryAfterSeconds).toBeLessThanOrEqual(600);
    expect(right.errors?.[0]?.message).toMatch(/Too many failed sign-in attempts/);
    // No session was written for the locked account.
    const [row] = (await server.app.dataSource.query(`SELECT count(*)::int AS count FROM sessions WHERE user_id = $1`, [user.id])) as Array<{
      count: number;
    }>;
    expect(row?.count).toBe(1); // the sign-up session only
  });

  it('40 parallel wrong passwords get at most the limit of real password checks', async () => {
    const user = await signUpUser(server, 'burst');
    const from = freshAddress();
    const before = passwordChecks();
    const results = await Promise.all(Array.from({ length: 40 }, () => signIn(user.email, 'wrong-password', from)));
    expect(passwordChecks() - before).toBeLessThanOrEqual(MAX_FAILURES);
    expect(results.filter((result) => errorCode(result) === 'UNAUTHENTICATED').length).toBeLessThanOrEqual(MAX_FAILURES);
    expect(results.filter((result) => errorCode(result) === 'TOO_MANY_ATTEMPTS').length).toBeGreaterThanOrEqual(40 - MAX_FAILURES);
    expect(results.every((result) => result.status < 500)).toBe(true);
  });

  it('a correct password among parallel guesses after the limit is refused', async () => {
    const user = await signUpUser(server, 'needle');
    const from = freshAddress();
    await Promise.all(Array.from({ length: 40 }, () => signIn(user.email, 'wrong-password', from)));
    const before = passwordChecks();
    const guesses = Array.from({ length: 20 }, (_, index) => signIn(user.email, index === 10 ? user.password : `wrong-${index}`, from));
    const results = await Promise.all(guesses);
    expect(results.map(errorCode)).toEqual(Array.from({ length: 20 }, () => 'TOO_MANY_ATTEMPTS'));
    expect(passwordChecks() - before).toBe(0);
  });

  it('the owner signs in from another address while one address is locked out (the admin included)', async () => {
    const owner = await signUpUser(server, 'owner');
    const attacker = freshAddress();
    await Promise.all(Array.from({ length: 40 }, () => signIn(owner.email, 'wrong-password', attacker)));
    expect(errorCode(await signIn(owner.email, owner.password, attacker))).toBe('TOO_MANY_ATTEMPTS');
    expect(expectData(await signIn(owner.email, owner.password, freshAddress())).signIn.token).toMatch(/^byoks_/);

    await Promise.all(Array.from({ length: 10 }, () => signIn('admin@example.com', 'wrong-password', attacker)));
    expect(errorCode(await signIn('admin@example.com', 'admin-password-for-tests', attacker))).toBe('TOO_MANY_ATTEMPTS');
    expect(expectData(await signIn('admin@example.com', 'admin-password-for-tests', freshAddress())).signIn.token).toMatch(/^byoks_/);
  });

  it('an unknown email and a locked account answer alike: same code, message, retry hint and no password check', async () => {
    const user = await signUpUser(server, 'known');
    const from = freshAddress();
    const unknownEmail = `nobody-${Date.now()}@example.com`;
    const answers: Array<{ known: GraphQLResult<unknown>; unknown: GraphQLResult<unknown> }> = [];
    for (let attempt = 0; attempt <= MAX_FAILURES; attempt += 1) {
      answers.push({ known: await signIn(user.email, 'wrong-password', from), unknown: await signIn(unknownEmail, 'wrong-password', from) });
    }
    // The retry hint counts down in whole seconds, so two answers a moment apart may differ by one.
    const comparable = (result: GraphQLResult<unknown>) =>
      result.errors?.map(({ message, extensions }) => {
        const { retryAfterSeconds, ...rest } = extensions ?? {};
        return { message, extensions: rest, retryAfterSeconds: typeof retryAfterSeconds === 'number' ? retryAfterSeconds : null };
      });
    for (const { known, unknown } of answers) {
      expect(unknown.status).toBe(known.status);
      const [knownErrors, unknownErrors] = [comparable(known), comparable(unknown)];
      expect(unknownErrors?.map(({ message, extensions }) => ({ message, extensions }))).toEqual(
        knownErrors?.map(({ message, extensions }) => ({ message, extensions })),
      );
      unknownErrors?.forEach((error, index) => {
        const knownHint = knownErrors?.[index]?.retryAfterSeconds ?? null;
        if (knownHint === null || error.retryAfterSeconds === null) expect(error.retryAfterSeconds).toBe(knownHint);
        else expect(Math.abs(error.retryAfterSeconds - knownHint)).toBeLessThanOrEqual(1);
      });
    }
    expect(errorCode(must(answers.at(-1), 'the last answer').known)).toBe('TOO_MANY_ATTEMPTS');
    // Past the limit neither spends a password check, so timing cannot tell them apart either.
    const before = passwordChecks();
    expect(errorCode(await signIn(user.email, 'wrong-password', from))).toBe('TOO_MANY_ATTEMPTS');
    expect(errorCode(await signIn(unknownEmail, 'wrong-password', from))).toBe('TOO_MANY_ATTEMPTS');
    expect(passwordChecks() - before).toBe(0);
    // Within the limit both spend exactly one argon2 check (a dummy one for the unknown email).
    const elsewhere = freshAddress();
    const beforeUnknown = passwordChecks();
    expect(errorCode(await signIn(unknownEmail, 'wrong-password', elsewhere))).toBe('UNAUTHENTICATED');
    expect(passwordChecks() - beforeUnknown).toBe(1);
    expect(errorCode(await signIn(user.email, 'wrong-password', elsewhere))).toBe('UNAUTHENTICATED');
    expect(passwordChecks() - beforeUnknown).toBe(2);
  });

  it('the window ends after SIGN_IN_LOCK_SECONDS and a successful sign-in starts the count afresh', async () => {
    const user = await signUpUser(server, 'patient');
    const from = freshAddress();
    expect(errorCode(await lockOut(user, from))).toBe('TOO_MANY_ATTEMPTS');
    // The window ends (moved into the past rather than waited for: no timed tests).
    await server.app.dataSource.query(`UPDATE sign_in_attempts SET reset_at = now() - interval '1 second'`);
    expect(expectData(await signIn(user.email, user.password, from)).signIn.token).toMatch(/^byoks_/);
    for (let attempt = 1; attempt <= MAX_FAILURES; attempt += 1) {
      expect(errorCode(await signIn(user.email, 'wrong-password', from))).toBe('UNAUTHENTICATED');
    }
  });

  it('101 failures with unknown emails from one shared address do not lock the owner of another account out from there', async () => {
    const colleague = await signUpUser(server, 'colleague');
    const shared = freshAddress();
    const unknown = (index: number): string => `typo-${index}-${Date.now()}@example.com`;
    const emails = Array.from({ length: 101 }, (_, index) => unknown(index));
    // In small batches: a burst beyond the password-work queue would be refused before any check.
    for (let start = 0; start < emails.length; start += 8) {
      const codes = (await Promise.all(emails.slice(start, start + 8).map((email) => signIn(email, 'wrong-password', shared)))).map(errorCode);
      expect(codes.every((code) => code === 'UNAUTHENTICATED')).toBe(true);
    }
    expect(expectData(await signIn(colleague.email, colleague.password, shared)).signIn.token).toMatch(/^byoks_/);
    // The address limit still bites on repeats: an account this address already failed on gets no further check.
    const before = passwordChecks();
    expect(errorCode(await signIn(must(emails[0], 'the first email'), 'wrong-password', shared))).toBe('TOO_MANY_ATTEMPTS');
    expect(passwordChecks() - before).toBe(0);
  });

  it('51 guesses at one account from 51 addresses: 50 are checked, the 51st and then the owner anywhere are refused', async () => {
    const target = await signUpUser(server, 'distributed');
    const before = passwordChecks();
    const codes: Array<string | undefined> = [];
    for (let index = 1; index <= 51; index += 1) codes.push(errorCode(await signIn(target.email, `guess-${index}`, `198.51.100.${index}`)));
    expect(codes.slice(0, 50).every((code) => code === 'UNAUTHENTICATED')).toBe(true);
    expect(codes[50]).toBe('TOO_MANY_ATTEMPTS');
    expect(passwordChecks() - before).toBe(50);
    const owner = await signIn(target.email, target.password, '198.51.100.200');
    expect(errorCode(owner)).toBe('TOO_MANY_ATTEMPTS');
    expect(owner.errors?.[0]?.extensions?.retryAfterSeconds).toBeGreaterThan(500);
    expect(passwordChecks() - before).toBe(50);
  });

  it('one address alone cannot lock an account for everyone: its refused guesses do not count against the account', async () => {
    const target = await signUpUser(server, 'hammered');
    const attacker = freshAddress();
    for (let index = 0; index < 60; index += 1) await signIn(target.email, 'wrong-password', attacker);
    expect(expectData(await signIn(target.email, target.password, freshAddress())).signIn.token).toMatch(/^byoks_/);
  });

  it('throttles per account: failures on one account do not lock another', async () => {
    const locked = await signUpUser(server, 'locked');
    const other = await signUpUser(server, 'other');
    const from = freshAddress();
    expect(errorCode(await lockOut(locked, from))).toBe('TOO_MANY_ATTEMPTS');
    expect(expectData(await signIn(other.email, other.password, from)).signIn.token).toMatch(/^byoks_/);
  });
});

describe('accounts: per-address throttle and bounded password work', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      env: { SIGN_IN_MAX_FAILURES: '1000', SIGN_IN_MAX_FAILURES_PER_ADDRESS: '4', SIGN_IN_LOCK_SECONDS: '60', PASSWORD_HASH_CONCURRENCY: '1' },
    });
  });
  afterAll(async () => {
    await server.close();
  });
  const signIn = (email: string, password: string, from: string) =>
    server.fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': from },
      body: JSON.stringify({ query: SIGN_IN, variables: { email, password } }),
    });
  const code = (response: { text: string }): string | undefined =>
    (JSON.parse(response.text) as { errors?: Array<{ extensions?: { code?: string } }> }).errors?.[0]?.extensions?.code;

  it('past the per-address limit an address gets one attempt per account: repeated guesses are refused', async () => {
    const codes: Array<string | undefined> = [];
    for (let index = 0; index < 6; index += 1) codes.push(code(await signIn(`spray-${index}@example.com`, 'wrong-password', '127.1.0.1')));
    expect(codes).toEqual(Array.from({ length: 6 }, () => 'UNAUTHENTICATED'));
    expect(code(await signIn('spray-0@example.com', 'wrong-password', '127.1.0.1'))).toBe('TOO_MANY_ATTEMPTS');
    expect(code(await signIn('spray-5@example.com', 'wrong-password', '127.1.0.1'))).toBe('TOO_MANY_ATTEMPTS');
    // Parallel first attempts at one new account from that address: one check, the rest refused.
    const burst = await Promise.all(Array.from({ length: 10 }, () => signIn('spray-new@example.com', 'wrong-password', '127.1.0.1')));
    expect(burst.map(code).sort()).toEqual([...Array.from({ length: 9 }, () => 'TOO_MANY_ATTEMPTS'), 'UNAUTHENTICATED']);
    expect(code(await signIn('spray-0@example.com', 'wrong-password', '127.1.0.2'))).toBe('UNAUTHENTICATED');
  });

  it('a flood from many addresses runs a bounded number of hashes at once and refuses the overflow quickly', async () => {
    const limiter = server.app.services.auth.passwordWork;
    const results = await Promise.all(Array.from({ length: 60 }, (_, index) => signIn('flood@example.com', 'wrong-password', `127.2.0.${index + 1}`)));
    const codes = results.map(code);
    expect(results.every((result) => result.status < 500)).toBe(true);
    // Concurrency 1 plus 16 waiting at most: the rest were refused without hashing.
    expect(limiter.peakPending).toBeLessThanOrEqual(limiter.concurrency + limiter.maxWaiting);
    expect(limiter.peakPending).toBeGreaterThan(limiter.concurrency);
    expect(codes.filter((value) => value === 'TOO_MANY_ATTEMPTS').length).toBeGreaterThan(0);
    expect(codes.every((value) => value === 'UNAUTHENTICATED' || value === 'TOO_MANY_ATTEMPTS')).toBe(true);
  });
});

describe('accounts: TRUST_PROXY decides whose X-Forwarded-For is believed', () => {
  let server: TestServer;
  beforeAll(async () => {
    // The test's connections come from loopback, which this setting does not list: a proxy the server does not trust.
    server = await startTestServer({ env: { SIGN_IN_MAX_FAILURES: '2', SIGN_IN_LOCK_SECONDS: '60', TRUST_PROXY: '10.0.0.1' } });
  });
  afterAll(async () => {
    await server.close();
  });

  it('an untrusted sender cannot pick its client address: every guess counts against the connection address', async () => {
    const user = await signUpUser(server, 'spoofed');
    const codes: Array<string | undefined> = [];
    for (let index = 0; index < 4; index += 1) {
      const response = await server.fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': `203.0.113.${index + 1}` },
        body: JSON.stringify({ query: SIGN_IN, variables: { email: user.email, password: 'wrong-password' } }),
      });
      codes.push((JSON.parse(response.text) as { errors?: Array<{ extensions?: { code?: string } }> }).errors?.[0]?.extensions?.code);
    }
    expect(codes).toEqual(['UNAUTHENTICATED', 'UNAUTHENTICATED', 'TOO_MANY_ATTEMPTS', 'TOO_MANY_ATTEMPTS']);
  });
});
