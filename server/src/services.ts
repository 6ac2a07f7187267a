import type { DataSource } from 'typeorm';
import type { AppConfig } from './config/config';
import type { SecretBox } from './crypto/secret-box';
import type { Logger } from './logging/logger';
import { ApiTokensService } from './modules/api-tokens/api-tokens.service';
import { AuditService } from './modules/audit/audit.service';
import { AuthService } from './modules/auth/auth.service';
import { UsersService } from './modules/users/users.service';
import { WorkspacesService } from './modules/workspaces/workspaces.service';

export interface ServiceDependencies {
  config: AppConfig;
  logger: Logger;
  dataSource: DataSource;
  secretBox: SecretBox;
}

/** Every service, built once per process and handed to resolvers through the context. */
export function createServices(dependencies: ServiceDependencies) {
  const { config, logger, dataSource } = dependencies;
  const audit = new AuditService();
  const workspaces = new WorkspacesService(dataSource, audit);
  return {
    ...dependencies,
    audit,
    auth: new AuthService(dataSource, config, audit, logger),
    users: new UsersService(dataSource),
    workspaces,
    apiTokens: new ApiTokensService(dataSource),
  };
}

export type Services = ReturnType<typeof createServices>;
