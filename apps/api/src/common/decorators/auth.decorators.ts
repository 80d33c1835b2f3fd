import { applyDecorators, SetMetadata } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiInternalServerErrorResponse,
  ApiSecurity,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';

import { Role, SCOPE_FOR_ROLE } from '@sensorhub/contracts';

import { ErrorDto } from '../error.dto';

export const ROLES_KEY = 'sensorhub:role';
export const PUBLIC_KEY = 'sensorhub:public';
export const TICKET_KEY = 'sensorhub:ticket';
export const USERS_ONLY_KEY = 'sensorhub:users-only';

export const API_KEY_HEADER = 'x-api-key';
export const SECURITY = { bearer: 'bearer', apiKey: 'apiKey' } as const;

const common = () => [
  ApiTooManyRequestsResponse({ type: ErrorDto, description: 'THROTTLED (Retry-After header)' }),
  ApiInternalServerErrorResponse({ type: ErrorDto, description: 'INTERNAL_ERROR' }),
];

/**
 * The least role a route needs (admin ⊃ operator ⊃ viewer). API keys are accepted on viewer routes with scope `read`
 * and on operator routes with scope `write`; admin routes take users only.
 */
export const Roles = (role: Role, opts: { usersOnly?: boolean } = {}) => {
  const scope = opts.usersOnly ? null : SCOPE_FOR_ROLE[role];
  return applyDecorators(
    SetMetadata(ROLES_KEY, role),
    ...(opts.usersOnly ? [SetMetadata(USERS_ONLY_KEY, true)] : []),
    ApiBearerAuth(SECURITY.bearer),
    ...(scope ? [ApiSecurity(SECURITY.apiKey)] : []),
    ApiUnauthorizedResponse({ type: ErrorDto, description: 'UNAUTHORIZED: no, bad or expired credentials' }),
    ApiForbiddenResponse({
      type: ErrorDto,
      description: `FORBIDDEN: needs ${opts.usersOnly ? 'a user with ' : ''}role ${role}${scope ? ` or an API key with scope ${scope}` : ' (API keys are refused)'}`,
    }),
    ...common(),
  );
};

/**
 * A route about the logged-in user (their profile, their password): API keys get 403 before anything else runs.
 * Same as Roles(role, { usersOnly: true }), which also documents it (no apiKey security on the operation).
 */
export const UsersOnly = () => SetMetadata(USERS_ONLY_KEY, true);

/** No credentials needed (login, refresh, health, metrics). */
export const Public = () => applyDecorators(SetMetadata(PUBLIC_KEY, true), ...common());

/** Also accepts a single-use `?ticket=` from POST /live/ticket, for EventSource which cannot send headers. */
export const AllowTicket = () => SetMetadata(TICKET_KEY, true);
