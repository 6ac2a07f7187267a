import { countMoves, moveOf, type ChangeScenario, type PlatformKeyState } from './integration-change-preview';

const stored: PlatformKeyState = { identity: 'row-1', status: 'VALID' };
const rejected: PlatformKeyState = { identity: 'row-1', status: 'INVALID' };
const environment: PlatformKeyState = { identity: 'environment', status: 'UNVERIFIED' };

const scenario = (overrides: Partial<ChangeScenario>): ChangeScenario => ({
  byokBefore: true,
  byokAfter: true,
  platformKeyBefore: stored,
  platformKeyAfter: stored,
  ...overrides,
});

describe('moveOf', () => {
  it('BYOK off with no platform key: workspaces with their own key move to no key', () => {
    const change = scenario({ byokAfter: false, platformKeyBefore: null, platformKeyAfter: null });
    expect(moveOf(true, change)).toEqual({ from: 'WORKSPACE', to: 'NONE', outcome: 'NO_KEY' });
    // Those without a key had none before and have none after.
    expect(moveOf(false, change)).toBeNull();
  });

  it('BYOK off with a working platform key: own-key workspaces move to it', () => {
    expect(moveOf(true, scenario({ byokAfter: false }))).toEqual({ from: 'WORKSPACE', to: 'GLOBAL', outcome: 'WORKING_PLATFORM_KEY' });
    expect(moveOf(false, scenario({ byokAfter: false }))).toBeNull();
  });

  it('BYOK off with a rejected platform key: own-key workspaces move to a key that fails', () => {
    const change = scenario({ byokAfter: false, platformKeyBefore: rejected, platformKeyAfter: rejected });
    expect(moveOf(true, change)?.outcome).toBe('REJECTED_PLATFORM_KEY');
  });

  it('an unverified platform key counts as working (nothing says it fails)', () => {
    const change = scenario({ byokAfter: false, platformKeyBefore: environment, platformKeyAfter: environment });
    expect(moveOf(true, change)?.outcome).toBe('WORKING_PLATFORM_KEY');
  });

  it('clearing the platform key: workspaces on it move to no key, own-key workspaces stay', () => {
    const change = scenario({ platformKeyAfter: null });
    expect(moveOf(false, change)).toEqual({ from: 'GLOBAL', to: 'NONE', outcome: 'NO_KEY' });
    expect(moveOf(true, change)).toBeNull();
    // With BYOK off, everyone was on the platform key.
    expect(moveOf(true, scenario({ byokBefore: false, byokAfter: false, platformKeyAfter: null }))?.outcome).toBe('NO_KEY');
  });

  it('clearing the stored platform key while the environment has one: workspaces move to the environment key', () => {
    expect(moveOf(false, scenario({ platformKeyAfter: environment }))).toEqual({ from: 'GLOBAL', to: 'GLOBAL', outcome: 'WORKING_PLATFORM_KEY' });
  });

  it('BYOK on: own-key workspaces move to their own key', () => {
    expect(moveOf(true, scenario({ byokBefore: false }))).toEqual({ from: 'GLOBAL', to: 'WORKSPACE', outcome: 'OWN_KEY' });
  });

  it('no change, no move', () => {
    expect(moveOf(true, scenario({}))).toBeNull();
    expect(moveOf(false, scenario({}))).toBeNull();
  });
});

describe('countMoves', () => {
  it('adds each group to its outcome', () => {
    const change = scenario({ byokAfter: false, platformKeyAfter: null });
    expect(
      countMoves([
        { move: moveOf(true, change), workspaces: 3 },
        { move: moveOf(false, change), workspaces: 7 },
      ]),
    ).toEqual({ toOwnKey: 0, toWorkingPlatformKey: 0, toRejectedPlatformKey: 0, toNoKey: 10 });
  });
});
