// Entry point for the TypeORM CLI only (migration:generate / migration:run on dist/). Exactly one DataSource export.
import 'reflect-metadata';
import { loadConfig } from '../config/config';
import { createDataSource } from './create-data-source';

const { databaseUrl } = loadConfig();
if (!databaseUrl) throw new Error('DATABASE_URL must be set to use the TypeORM CLI');

export const cliDataSource = createDataSource(databaseUrl.value, { poolSize: 2, applicationName: 'byok-cli' });
