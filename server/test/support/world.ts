/**
 * One call for what most http-tier files set up by hand: the fake providers, the real server pointed at them, the
 * admin signed in, BYOK switched on and platform keys stored for the providers asked for, an owner with a workspace
 * (optionally with its own keys) and a member of it. `close()` runs the leak sweep, then closes the server and the
 * fakes (both are also tracked, so a failed start cannot hang the run: support/test-resources.ts).
 */
import type { ProviderId } from '@byok/shared';
import { startFakeProviders, type FakeProviderOptions, type FakeProviders, type StartFakeProvidersOptions } from '../fakes/fake-provider';
import { acceptedKey, setWorkspaceKey, updateIntegration } from './byok';
import { registeredCanaries, sweepThenClose } from './canaries';
import { addMember, signInAdmin, signUpUser, type TestUser } from './factories';
import { expectData, startTestServer, type TestServer, type TestServerOptions } from './test-server';

export interface WorldOptions {
  /** Options for one fake, by provider (valid keys, models…). */
  fakes?: StartFakeProvidersOptions;
  /** Options for every fake (e.g. `chunkDelayMs`). */
  everyFake?: FakeProviderOptions;
  /** Server environment beyond the fakes' base URLs. */
  env?: Record<string, string>;
  clock?: TestServerOptions['clock'];
  /** Providers whose BYOK switch the admin turns on (before any workspace key is stored). */
  byok?: readonly ProviderId[];
  /** Providers given a platform key, a canary the fake accepts. */
  platformKeys?: readonly ProviderId[];
  /** Providers for which the owner stores a workspace key, a canary the fake accepts (needs BYOK on). */
  workspaceKeys?: readonly ProviderId[];
}

export interface World {
  fakes: FakeProviders;
  server: TestServer;
  admin: { token: string; id: string };
  /** Owns `owner.workspaceId`, created at sign-up. */
  owner: TestUser;
  /** A MEMBER of the owner's workspace (and owner of the workspace of their own sign-up). */
  member: TestUser;
  /** The keys stored above, by provider. */
  keys: { platform: Partial<Record<ProviderId, string>>; workspace: Partial<Record<ProviderId, string>> };
  /** Another user, with a workspace of their own. */
  signUp(label: string): Promise<TestUser>;
  /** The leak sweep (when the file registered any canary), then the server and the fakes are closed, always. */
  close(): Promise<void>;
}

export async function startWorld(options: WorldOptions = {}): Promise<World> {
  const fakes = await startFakeProviders(options.fakes, options.everyFake);
  const server = await startTestServer({ env: { ...fakes.env, ...options.env }, clock: options.clock });
  const admin = await signInAdmin(server);
  const owner = await signUpUser(server, 'owner');
  const member = await signUpUser(server, 'member');
  await addMember(server, owner, member);
  const keys: World['keys'] = { platform: {}, workspace: {} };
  for (const provider of options.byok ?? []) expectData(await updateIntegration(server, admin, provider, { byokEnabled: true }));
  for (const provider of options.platformKeys ?? []) {
    const key = acceptedKey(fakes, provider);
    expectData(await updateIntegration(server, admin, provider, { globalKey: key }));
    keys.platform[provider] = key;
  }
  for (const provider of options.workspaceKeys ?? []) {
    const key = acceptedKey(fakes, provider);
    expectData(await setWorkspaceKey(server, owner, owner.workspaceId, provider, key));
    keys.workspace[provider] = key;
  }
  return {
    fakes,
    server,
    admin,
    owner,
    member,
    keys,
    signUp: (label) => signUpUser(server, label),
    async close() {
      const closeAll = [() => server.close(), () => fakes.close()];
      // With no canary the sweep would prove nothing (and says so by failing): then there is only closing to do.
      if (registeredCanaries().length === 0) {
        for (const close of closeAll) await close();
        return;
      }
      await sweepThenClose(server, ...closeAll);
    },
  };
}
