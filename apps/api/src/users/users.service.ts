import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { QueryFailedError, Repository } from 'typeorm';

import { hashPassword, Role, User } from '@sensorhub/domain';

import { conflict, notFound } from '../common/errors';
import { CreateUserDto, UpdateUserDto } from './dto/user.dto';

const UNIQUE_VIOLATION = '23505';
/**
 * How long an authenticated request may reuse the user row another request just read. Changes made through this
 * process drop the entry at once; changes by another replica or by psql apply within this time.
 */
const ACTIVE_USER_CACHE_MS = 1000;

@Injectable()
export class UsersService {
  private readonly active = new Map<string, { at: number; user: Promise<User | null> }>();

  constructor(@InjectRepository(User) private readonly users: Repository<User>) {}

  /** The user if they exist and are not disabled; read once per ACTIVE_USER_CACHE_MS for every request's guard. */
  findActive(id: string, now = Date.now()): Promise<User | null> {
    const hit = this.active.get(id);
    if (hit && now - hit.at < ACTIVE_USER_CACHE_MS) return hit.user;
    if (this.active.size > 10_000) this.active.clear();
    const user = this.findById(id).then((u) => (u && !u.disabled ? u : null));
    this.active.set(id, { at: now, user });
    user.catch(() => this.active.delete(id));
    return user;
  }

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
    // disabling ends the user's sessions and tokens: the users trigger revokes them in the same statement
    if (Object.keys(patch).length) await this.users.update({ id }, patch);
    this.active.delete(id);
    return (await this.findById(id))!;
  }

  /** Sets a new password; the users trigger revokes every session and token of the user in the same statement. */
  async setPassword(id: string, password: string): Promise<void> {
    const { affected } = await this.users.update({ id }, { passwordHash: await hashPassword(password) });
    this.active.delete(id);
    if (!affected) throw notFound('user');
  }
}
