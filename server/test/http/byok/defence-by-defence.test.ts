/**
 * Defence by defence (issue #12): tests that reach one defence with every other one out of the way, so each
 * fails if — and only if — that defence is removed.
 *
 * - Row swap (R9): ciphertext, fingerprint and mask copied together from workspace A's key row onto B's. The
 *   fingerprint check agrees with the copied ciphertext, so only the workspace id in the associated data stands
 *   between B's requests and A's key.
 * - BYOK switched off while the provider is verifying a new key (R4): the check before verification has passed;
 *   only the re-check inside the saving transaction can refuse it.
 * (SecretBox contexts that differ in one field each: server/src/crypto/secret-box.test.ts.)
 */
import { startFakeProviders, type FakeProviders } from '../../fakes/fake-provider';
import { complete, input } from '../ai/ai-helpers';
import { sweepThenClose } from '../../support/canaries';
import { signInAdmin, signUpUser } from '../../support/factories';
import { acceptedKey, auditRowsSince, lastAuditId, setWorkspaceKey, updateIntegration } from '../../support/byok';
import { errorCode, expectData, startTestServer, type TestServer } from '../../support/test-server';

let fakes: FakeProviders;
let server: TestServer;
let admin: { token: string; id: string };

beforeAll(async () => {
  fakes = await startFakeProviders();
  server = await startTestServer({ env: fakes.env });
  admin = await signInAdmin(server);
  expectData(await updateIntegration(server, admin, 'OPENAI', { byokEnabled: true, globalKey: acceptedKey(fakes, 'OPENAI') }));
  expectData(await updateIntegration(server, admin, 'ANTHROPIC', { byokEnabled: true }));
});

afterAll(async () => {
  await sweepThenClose(
    server,
    () => server.close(),
    () => fakes.close(),
  );
});

describe("R9: a row swap copying A's ciphertext, fingerprint and mask onto B's row", () => {
  it("B's request fails closed with KEY_UNREADABLE: A's key is never used, nor the platform's", async () => {
    const a = await signUpUser(server, 'swap-a');
    const b = await signUpUser(server, 'swap-b');
    const keyOfA = acceptedKey(fakes, 'OPENAI');
    expectData(await setWorkspaceKey(server, a, a.workspaceId, 'OPENAI', keyOfA));
    expectData(await setWorkspaceKey(server, b, b.workspaceId, 'OPENAI', acceptedKey(fakes, 'OPENAI')));
    // Everything that describes the key moves together, so the row is self-consistent: ciphertext, the key id
    // that sealed it, fingerprint and mask.
    await server.app.dataSource.query(
      `UPDATE provider_keys AS b
          SET ciphertext = a.ciphertext, encryption_key_id = a.encryption_key_id, fingerprint = a.fingerprint, masked = a.masked
         FROM provider_keys AS a
        WHERE a.workspace_id = $1 AND a.provider = 'OPENAI' AND b.workspace_id = $2 AND b.provider = 'OPENAI'`,
      [a.workspaceId, b.workspaceId],
    );
    fakes.OPENAI.reset();

    const result = await complete(server, { token: b.token }, b.workspaceId, input('OPENAI'));
    expect(errorCode(result)).toBe('KEY_UNREADABLE');
    expect(fakes.OPENAI.requests).toHaveLength(0);
    expect(fakes.OPENAI.keysSeen()).not.toContain(keyOfA);

    // A's own row still works: the swap broke only the copy.
    expect(expectData(await complete(server, { token: a.token }, a.workspaceId, input('OPENAI'))).complete.keySource).toBe('WORKSPACE');
    expect(fakes.OPENAI.keysSeen()).toEqual([keyOfA]);
  });
});

describe('R4: BYOK switched off while the provider is verifying a new key', () => {
  it('the save fails with BYOK_DISABLED: no key row, no successful audit event', async () => {
    const owner = await signUpUser(server, 'race-owner');
    const before = await lastAuditId(server);
    fakes.ANTHROPIC.reset();
    // The provider takes its time answering the verification (GET /v1/models).
    fakes.ANTHROPIC.failNext({ type: 'delay', ms: 1500 });

    const saving = setWorkspaceKey(server, owner, owner.workspaceId, 'ANTHROPIC', acceptedKey(fakes, 'ANTHROPIC'));
    // Wait for the verification request to reach the provider: the BYOK check before it has passed by then.
    for (let spins = 0; fakes.ANTHROPIC.requests.length === 0; spins += 1) {
      if (spins > 2000) throw new Error('the verification request never reached the fake provider');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(fakes.ANTHROPIC.requests[0]?.responseStatus).toBeNull();
    expectData(await updateIntegration(server, admin, 'ANTHROPIC', { byokEnabled: false }));

    const saved = await saving;
    expect(errorCode(saved)).toBe('BYOK_DISABLED');
    // The provider did answer (after the switch): the refusal came from the re-check, not a failed verification.
    expect(fakes.ANTHROPIC.requests[0]?.responseStatus).toBe(200);
    const rows = (await server.app.dataSource.query(`SELECT id FROM provider_keys WHERE workspace_id = $1`, [owner.workspaceId])) as unknown[];
    expect(rows).toEqual([]);
    const events = await auditRowsSince(server, before);
    expect(events.filter((event) => event.workspace_id === owner.workspaceId && event.outcome === 'SUCCESS')).toEqual([]);
    expect(events.map((event) => event.action)).toContain('INTEGRATION_BYOK_DISABLED');
    expectData(await updateIntegration(server, admin, 'ANTHROPIC', { byokEnabled: true }));
  });
});
