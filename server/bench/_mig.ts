import 'reflect-metadata';
import { startEmbeddedPostgres } from '../src/database/embedded-postgres';
import { createDataSource } from '../src/database/create-data-source';
(async () => {
  const url = process.env.DATABASE_URL;
  const emb = url ? null : await startEmbeddedPostgres(null);
  const ds = createDataSource(url ?? emb!.url, { poolSize: 1 });
  await ds.initialize();
  const t = Date.now();
  console.log((await ds.runMigrations({ transaction: 'each' })).map((m) => m.name), Date.now() - t);
  console.log(await ds.query(`select relname from pg_class where relname like 'usage_records%' and relkind in ('r','p')`));
  await ds.destroy(); await emb?.stop();
})().catch((e) => { console.error('ERR', e); process.exit(1); });
