import path from 'node:path';
import { DataSource } from 'typeorm';
import { ENTITIES } from './entities';

/** The one way the app, the CLI and the tests build a connection: TypeORM's `pg` driver, migrations, no synchronize. */
export function createDataSource(url: string, options: { poolSize?: number; applicationName?: string } = {}): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: [path.join(__dirname, '..', 'database', 'migrations', '*.{js,ts}')],
    migrationsTableName: 'migrations',
    synchronize: false,
    // gen_random_uuid() is built into Postgres 13+ (and PGlite); uuid-ossp is not available everywhere.
    uuidExtension: 'pgcrypto',
    logging: false,
    extra: { max: options.poolSize ?? 10, application_name: options.applicationName ?? 'byok' },
  });
}
