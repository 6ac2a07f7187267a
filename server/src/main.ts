import 'reflect-metadata';
import { startApp } from './app';
import { ConfigError, loadConfig } from './config/config';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78);
    }
    throw error;
  }
  const app = await startApp(config);
  if (app.generatedAdmin?.generatedPassword) {
    // Printed once, outside the structured log, so it never lands in log storage by accident.
    process.stderr.write(
      `\n  First platform admin created (shown only now):\n    email:    ${app.generatedAdmin.email}\n    password: ${app.generatedAdmin.generatedPassword}\n  Set ADMIN_EMAIL and ADMIN_PASSWORD to choose your own.\n\n`,
    );
  }
  process.stdout.write(`byok is running at ${app.url}\n`);
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    app.logger.info('shutting down', { signal });
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`byok failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
