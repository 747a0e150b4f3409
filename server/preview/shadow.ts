// A scratch copy of a tenant's sync state where a preview writes the links its run would write, so later records see
// their customers "created", without a real run ever seeing them (they belong to another, memberless tenant).
import { randomUUID } from "node:crypto";
import { eq, getTableColumns, sql } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import type { Db } from "@/db/client";
import { mappings, referenceRecords, syncLinks, tenants, zohoContactsCache } from "@/db/schema";

/** What the adapters read by tenant: links, mappings, reference data and the Zoho contact index. */
const COPIED: PgTable[] = [syncLinks, mappings, referenceRecords, zohoContactsCache];
const SHADOW_PREFIX = "preview-shadow-";

async function copyRows(db: Db, table: PgTable, from: string, to: string) {
  const columns = Object.values(getTableColumns(table)).map((column) => column.name);
  const names = sql.join(
    columns.map((name) => sql.identifier(name)),
    sql`, `,
  );
  const values = sql.join(
    columns.map((name) => (name === "tenant_id" ? sql`${to}::uuid` : sql.identifier(name))),
    sql`, `,
  );
  await db.execute(sql`insert into ${table} (${names}) select ${values} from ${table} where tenant_id = ${from}::uuid`);
}

export type Shadow = { tenantId: string; drop: () => Promise<void> };

/** Copies the tenant's sync state under a new memberless tenant; `drop` deletes it all (the rows cascade). */
export async function openShadow(db: Db, tenantId: string): Promise<Shadow> {
  const id = randomUUID();
  await db.insert(tenants).values({ id, slug: `${SHADOW_PREFIX}${id}`, name: `Preview scratch copy of ${tenantId}` });
  const drop = async () => {
    await db.delete(tenants).where(eq(tenants.id, id));
  };
  try {
    for (const table of COPIED) await copyRows(db, table, tenantId, id);
  } catch (error) {
    await drop();
    throw error;
  }
  return { tenantId: id, drop };
}

/** Scratch copies a dead worker left behind (older than an hour) are deleted. */
export async function dropStaleShadows(db: Db) {
  await db.execute(
    sql`delete from ${tenants} where ${tenants.slug} like ${`${SHADOW_PREFIX}%`} and ${tenants.createdAt} < now() - interval '1 hour'`,
  );
}
