import { createBatchLoader, perRequest } from './batch-loader';

describe('createBatchLoader', () => {
  it('loads every key asked for in the same turn with one call, and caches each key', async () => {
    const calls: string[][] = [];
    const load = createBatchLoader(async (keys) => {
      calls.push(keys);
      return new Map(keys.map((key) => [key, key.toUpperCase()]));
    });
    await expect(Promise.all([load('a'), load('b'), load('a')])).resolves.toEqual(['A', 'B', 'A']);
    await expect(load('b')).resolves.toBe('B');
    await expect(load('c')).resolves.toBe('C');
    expect(calls).toEqual([['a', 'b'], ['c']]);
  });

  it('rejects every waiter of a failed batch, and a key the batch did not return', async () => {
    const failing = createBatchLoader<string>(async () => {
      throw new Error('database down');
    });
    await expect(Promise.all([failing('a'), failing('b')])).rejects.toThrow('database down');
    const partial = createBatchLoader(async () => new Map([['a', 1]]));
    const [a, b] = await Promise.allSettled([partial('a'), partial('b')]);
    expect(a).toEqual({ status: 'fulfilled', value: 1 });
    expect(b).toMatchObject({ status: 'rejected' });
  });
});

describe('perRequest', () => {
  it('creates one value per context object', () => {
    let created = 0;
    const forContext = perRequest((_context: object) => ({ id: (created += 1) }));
    const first = {};
    expect(forContext(first)).toBe(forContext(first));
    expect(forContext({})).not.toBe(forContext(first));
    expect(created).toBe(2);
  });
});
