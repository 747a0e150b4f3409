// Join conditions the listings share: the row of one Splynx record (a link, a Records index row) by its key, and the
// Zoho contact a customer's link points at.
import { and, type AnyColumn, eq, type SQL, type SQLWrapper } from "drizzle-orm";
import { zohoContactsCache } from "../schema";

type Keyed = { tenantId: AnyColumn; entity: AnyColumn; splynxId: AnyColumn };
type Operand = SQLWrapper | string;

/** The row of the Splynx record with this tenant, entity and Splynx id (the key of links and index rows alike). */
export const rowOf = (rows: Keyed, key: { tenantId: Operand; entity: Operand; splynxId: Operand }): SQL =>
  and(eq(rows.tenantId, key.tenantId), eq(rows.entity, key.entity), eq(rows.splynxId, key.splynxId))!;

/** The Zoho contact a customer's link points at, among the tenant's loaded Zoho customers; none for other entities. */
export const linkedContact = (links: Keyed & { zohoId: AnyColumn }): SQL =>
  and(
    eq(links.entity, "customer"),
    eq(zohoContactsCache.tenantId, links.tenantId),
    eq(zohoContactsCache.contactId, links.zohoId),
  )!;
