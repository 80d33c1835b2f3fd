import { Principal } from '../decorators/principal.decorator';

/**
 * What the auth guard needs from the features that own credentials, so that common/ imports no feature: the
 * api-keys feature provides API_KEY_AUTHENTICATOR, the auth feature TICKET_REDEEMER (both `useExisting` their
 * service). Each rejects with 401 UNAUTHORIZED when the credential is unknown, expired or revoked.
 */
export interface ApiKeyAuthenticator {
  authenticate(key: string): Promise<Principal>;
}
export interface TicketRedeemer {
  /** single use: a second redeem of the same ticket fails */
  redeem(ticket: string): Promise<Principal>;
}

export const API_KEY_AUTHENTICATOR = Symbol('ApiKeyAuthenticator');
export const TICKET_REDEEMER = Symbol('TicketRedeemer');
