import { signUpUser, type TestUser } from '../support/factories';
import { errorCode, expectData, startTestServer, type GraphQLResult, type TestServer } from '../support/test-server';

const SIGN_IN = `mutation($email: String!, $password: String!) { signIn(email: $email, password: $password) { token } }`;
const MAX_FAILURES = 3;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('accounts: sign-in throttling', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { SIGN_IN_MAX_FAILURES: String(MAX_FAILURES), SIGN_IN_LOCK_SECONDS: '1' } });
  });
  afterAll(async () => {
    await server.close();
  });

  const signIn = (email: string, password: string): Promise<GraphQLResult<{ signIn: { token: string } }>> =>
    server.graphql<{ signIn: { token: string } }>(SIGN_IN, { email, password });

  const lockOut = async (user: TestUser): Promise<GraphQLResult<unknown>> => {
    for (let attempt = 1; attempt < MAX_FAILURES; attempt += 1) {
      expect(errorCode(await signIn(user.email, 'wrong-password'))).toBe('UNAUTHENTICATED');
    }
    return signIn(user.email, 'wrong-password');
  };

  it(`locks the account after ${MAX_FAILURES} failures, even for the right password, and says when to retry`, async () => {
    const user = await signUpUser(server, 'victim');
    const last = await lockOut(user);
    expect(errorCode(last)).toBe('TOO_MANY_ATTEMPTS');

    const right = await signIn(user.email, user.password);
    expect(right.data).toBeNull();
    expect(errorCode(right)).toBe('TOO_MANY_ATTEMPTS');
    const retryAfterSeconds = right.errors![0]!.extensions!.retryAfterSeconds;
    expect(typeof retryAfterSeconds).toBe('number');
    expect(retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(retryAfterSeconds).toBeLessThanOrEqual(1);
    expect(right.errors![0]!.message).toMatch(/Too many failed sign-in attempts/);
    // No session was written for the locked account.
    const [row] = (await server.app.dataSource.query(`SELECT count(*)::int AS count FROM sessions WHERE user_id = $1`, [user.id])) as Array<{
      count: number;
    }>;
    expect(row!.count).toBe(1); // the sign-up session only
  });

  it('the lock expires after SIGN_IN_LOCK_SECONDS and a successful sign-in resets the count', async () => {
    const user = await signUpUser(server, 'patient');
    expect(errorCode(await lockOut(user))).toBe('TOO_MANY_ATTEMPTS');
    await sleep(1200);
    expect(expectData(await signIn(user.email, user.password)).signIn.token).toMatch(/^byoks_/);
    // A fresh allowance: the next wrong password is an ordinary failure again, not a lock.
    expect(errorCode(await signIn(user.email, 'wrong-password'))).toBe('UNAUTHENTICATED');
    const [row] = (await server.app.dataSource.query(`SELECT failed_sign_ins, locked_until FROM users WHERE id = $1`, [user.id])) as Array<{
      failed_sign_ins: number;
      locked_until: Date | null;
    }>;
    expect(row).toEqual({ failed_sign_ins: 1, locked_until: null });
  });

  it('after a lock expires, the next wrong password locks the account again at once', async () => {
    const user = await signUpUser(server, 'persistent');
    expect(errorCode(await lockOut(user))).toBe('TOO_MANY_ATTEMPTS');
    await sleep(1200);
    expect(errorCode(await signIn(user.email, 'wrong-password'))).toBe('TOO_MANY_ATTEMPTS');
    expect(errorCode(await signIn(user.email, user.password))).toBe('TOO_MANY_ATTEMPTS');
  });

  it('throttles per account: failures on one account do not lock another', async () => {
    const locked = await signUpUser(server, 'locked');
    const other = await signUpUser(server, 'other');
    expect(errorCode(await lockOut(locked))).toBe('TOO_MANY_ATTEMPTS');
    expect(expectData(await signIn(other.email, other.password)).signIn.token).toMatch(/^byoks_/);
  });

  it('concurrent wrong guesses are all counted', async () => {
    const user = await signUpUser(server, 'burst');
    const results = await Promise.all(Array.from({ length: MAX_FAILURES + 2 }, () => signIn(user.email, 'wrong-password')));
    expect(results.some((result) => errorCode(result) === 'TOO_MANY_ATTEMPTS')).toBe(true);
    expect(errorCode(await signIn(user.email, user.password))).toBe('TOO_MANY_ATTEMPTS');
  });
});
