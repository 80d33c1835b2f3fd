import { createParamDecorator, ExecutionContext } from '@nestjs/common';

import { ApiKeyScope, Role } from '@sensorhub/domain';

export type Principal =
  | { kind: 'user'; id: string; email: string; role: Role; tokenVersion: number }
  | {
      kind: 'apiKey';
      id: string;
      name: string;
      scopes: ApiKeyScope[];
      /** null: every device; else the device ids or `*` patterns the key may touch */
      deviceScopes: string[] | null;
    };

/** The authenticated user or API key of the request (set by the auth guard). */
export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  return ctx.switchToHttp().getRequest().user as Principal;
});
