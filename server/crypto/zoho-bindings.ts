// Where each sealed Zoho value belongs: the tenant's row and the column, so a value cannot be moved elsewhere.
import type { SecretBinding } from "./secrets";

export type ZohoSealedColumn = "refresh_token" | "access_token" | "own_client_secret";

/** The own app's secret moves from the OAuth state to the connection, so both use the connection's column. */
export const zohoBinding = (tenantId: string, column: ZohoSealedColumn): SecretBinding => ({
  tenantId,
  column: `zoho_connections.${column}`,
});
