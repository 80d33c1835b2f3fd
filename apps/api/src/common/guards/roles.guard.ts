import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';

import { hasRole, Role, SCOPE_FOR_ROLE } from '@sensorhub/contracts';

import { PUBLIC_KEY, ROLES_KEY, USERS_ONLY_KEY } from '../decorators/auth.decorators';
import { Principal } from '../decorators/principal.decorator';
import { forbidden } from '../errors';

/** Role hierarchy admin ⊃ operator ⊃ viewer; API keys by scope. A route with neither @Roles nor @Public is refused. */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(ctx: ExecutionContext): boolean {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const role = this.reflector.getAllAndOverride<Role | undefined>(ROLES_KEY, targets);
    if (!role) throw forbidden('route has no access rule');
    const principal = ctx.switchToHttp().getRequest().user as Principal;
    if (principal.kind === 'apiKey') {
      if (this.reflector.getAllAndOverride<boolean>(USERS_ONLY_KEY, targets))
        throw forbidden('an API key is not a user');
      const scope = SCOPE_FOR_ROLE[role];
      if (!scope) throw forbidden('API keys cannot use admin routes');
      if (!principal.scopes.includes(scope)) throw forbidden(`API key lacks scope ${scope}`);
      return true;
    }
    if (!hasRole(principal.role, role)) throw forbidden(`needs role ${role}`);
    return true;
  }
}
