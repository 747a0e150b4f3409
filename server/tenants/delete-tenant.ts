// Deleting a tenant: its Zoho refresh token is revoked first, so no live grant outlives the tenant that held it.
import type { Db } from "@/db/client";
import { deleteTenant } from "@/db/queries/tenants";
import { getZohoConnection } from "@/db/queries/zoho";
import { DomainError } from "@/server/errors";
import { revokeStoredRefreshToken } from "@/server/zoho/connection";

export async function deleteTenantRevokingZoho(db: Db, input: { tenantId: string }): Promise<void> {
  const connection = await getZohoConnection(db, input);
  // A failure keeps the tenant, to be tried again, rather than leave a live token behind.
  if (connection)
    await revokeStoredRefreshToken(connection).catch((error: Error) => {
      throw new DomainError(
        "BAD_REQUEST",
        `Zoho could not revoke the connection, so the tenant was kept; try again: ${error.message}`,
      );
    });
  // The tenant's audit log goes with it: nothing of a deleted tenant is kept.
  await deleteTenant(db, input);
}
