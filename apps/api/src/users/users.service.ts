import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { QueryFailedError, Repository } from 'typeorm';

import { hashPassword, Role, User } from '@sensorhub/domain';

import { conflict, notFound } from '../common/errors';
import { CreateUserDto, UpdateUserDto } from './dto/user.dto';

const UNIQUE_VIOLATION = '23505';

@Injectable()
export class UsersService {
  constructor(@InjectRepository(User) private readonly users: Repository<User>) {}

  list(): Promise<User[]> {
    return this.users.find({ order: { email: 'ASC' } });
  }

  findById(id: string): Promise<User | null> {
    return this.users.findOneBy({ id });
  }

  /** With its password hash, for login only. */
  findForLogin(email: string): Promise<User | null> {
    return this.users
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('u.email = :email', { email: email.trim().toLowerCase() })
      .getOne();
  }

  async create(dto: CreateUserDto): Promise<User> {
    try {
      const { identifiers } = await this.users.insert({
        email: dto.email,
        role: dto.role,
        passwordHash: await hashPassword(dto.password),
      });
      return (await this.findById(identifiers[0].id as string))!;
    } catch (e) {
      if (e instanceof QueryFailedError && (e.driverError as { code?: string }).code === UNIQUE_VIOLATION) {
        throw conflict(`a user with e-mail ${dto.email} exists`);
      }
      throw e;
    }
  }

  async update(id: string, dto: UpdateUserDto, actingUserId: string | null): Promise<User> {
    const user = await this.findById(id);
    if (!user) throw notFound('user');
    // an admin locking themselves out is never what they meant
    if (id === actingUserId && ((dto.role && dto.role !== user.role) || dto.disabled)) {
      throw conflict('you cannot change your own role or disable yourself');
    }
    const patch: Partial<{ role: Role; disabled: boolean }> = {};
    if (dto.role !== undefined) patch.role = dto.role;
    if (dto.disabled !== undefined) patch.disabled = dto.disabled;
    if (Object.keys(patch).length) await this.users.update({ id }, patch);
    return (await this.findById(id))!;
  }

  async resetPassword(id: string, password: string): Promise<void> {
    const { affected } = await this.users.update({ id }, { passwordHash: await hashPassword(password) });
    if (!affected) throw notFound('user');
  }
}
