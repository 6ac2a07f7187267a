/**
 * Collects the keys asked for during one turn of the event loop and loads them with one call, caching
 * each key's promise for the rest of the request (a tiny DataLoader). Lists of workspaces then cost one
 * query per field, not one per workspace.
 */
export function createBatchLoader<V>(load: (keys: string[]) => Promise<Map<string, V>>): (key: string) => Promise<V> {
  type Batch = Map<string, { resolve: (value: V) => void; reject: (error: unknown) => void }>;
  const cache = new Map<string, Promise<V>>();
  let pending: Batch | null = null;

  const dispatch = (batch: Batch): void => {
    load([...batch.keys()]).then(
      (values) => {
        for (const [key, waiter] of batch) {
          // `has` first: V itself may include undefined, so get()'s undefined alone does not mean missing.
          if (values.has(key)) waiter.resolve(values.get(key) as V);
          else waiter.reject(new Error(`batch loader returned no value for ${key}`));
        }
      },
      (error: unknown) => {
        for (const waiter of batch.values()) waiter.reject(error);
      },
    );
  };

  return (key) => {
    const cached = cache.get(key);
    if (cached) return cached;
    const promise = new Promise<V>((resolve, reject) => {
      let batch = pending;
      if (!batch) {
        const started: Batch = new Map();
        batch = pending = started;
        setImmediate(() => {
          pending = null;
          dispatch(started);
        });
      }
      batch.set(key, { resolve, reject });
    });
    cache.set(key, promise);
    return promise;
  };
}

/** One loader per request (keyed by the request's context object), created on first use. */
export function perRequest<C extends object, V>(create: (context: C) => V): (context: C) => V {
  const loaders = new WeakMap<C, V>();
  return (context) => {
    let loader = loaders.get(context);
    if (!loader) {
      loader = create(context);
      loaders.set(context, loader);
    }
    return loader;
  };
}
