import type { DataSource } from 'typeorm';
import { isUuid } from '../../validation/uuid';
import { UserEntity } from './user.entity';

export class UsersService {
  constructor(private readonly dataSource: DataSource) {}

  findById(id: string): Promise<UserEntity | null> {
    if (!isUuid(id)) return Promise.resolve(null);
    return this.dataSource.getRepository(UserEntity).findOne({ where: { id } });
  }
}
