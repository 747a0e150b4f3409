// Rewrites secrets still sealed in the first format (bound to nothing) as v2, bound to their tenant and column, so a
// v1 value cannot be copied to another row; run once at start-up, in batches, until none is left.
import { and, asc, eq, gt, like, type SQL } from "drizzle-orm";
import type { AnyPgColumn, PgTable } from "drizzle-orm/pg-core";
import type { Db } from "@/db/client";
import { splynxConnections, zohoConnections, zohoOAuthStates } from "@/db/schema";
import type { EncryptionKey } from "@/server/env";
import { keyBinding, secretBinding } from "@/server/splynx/credentials";
import { decryptSecret, encryptSecret, LEGACY_PREFIX, type SecretBinding } from "./secrets";
import { type ZohoSealedColumn, zohoBinding } from "./zoho-bindings";

type Row = { key: string; tenantId: string; baseUrl?: string; sealed: string };

/** One sealed column: its table, the row's key, what its binding is made of, and the property to write. */
type SealedColumn = {
  table: PgTable;
  key: AnyPgColumn;
  tenantId: AnyPgColumn;
  baseUrl?: AnyPgColumn;
  column: AnyPgColumn;
  property: string;
  binding: (row: Row) => SecretBinding;
};

const zohoColumn = (column: ZohoSealedColumn, property: keyof typeof zohoConnections.$inferSelect): SealedColumn => ({
  table: zohoConnections,
  key: zohoConnections.tenantId,
  tenantId: zohoConnections.tenantId,
  column: zohoConnections[property] as AnyPgColumn,
  property,
  binding: (row) => zohoBinding(row.tenantId, column),
});

export const SEALED_COLUMNS: SealedColumn[] = [
  {
    table: splynxConnections,
    key: splynxConnections.tenantId,
    tenantId: splynxConnections.tenantId,
    column: splynxConnections.apiKeySealed,
    property: "apiKeySealed",
    binding: (row) => keyBinding(row.tenantId),
  },
  {
    table: splynxConnections,
    key: splynxConnections.tenantId,
    tenantId: splynxConnections.tenantId,
    baseUrl: splynxConnections.baseUrl,
    column: splynxConnections.apiSecretSealed,
    property: "apiSecretSealed",
    binding: (row) => secretBinding(row.tenantId, row.baseUrl!),
  },
  zohoColumn("refresh_token", "refreshTokenSealed"),
  zohoColumn("access_token", "accessTokenSealed"),
  zohoColumn("own_client_secret", "ownClientSecretSealed"),
  {
    // The own app's secret moves from the OAuth state to the connection, so it is sealed for the connection's column.
    table: zohoOAuthStates,
    key: zohoOAuthStates.id,
    tenantId: zohoOAuthStates.tenantId,
    column: zohoOAuthStates.ownClientSecretSealed,
    property: "ownClientSecretSealed",
    binding: (row) => zohoBinding(row.tenantId, "own_client_secret"),
  },
];

const BATCH = 200;

export type ResealReport = { resealed: number; unreadable: number };

/** Rewrites every v1 value; a value that cannot be opened (its key is gone) is left as it is and counted. */
export async function resealLegacySecrets(db: Db, keys: EncryptionKey[]): Promise<ResealReport> {
  const report: ResealReport = { resealed: 0, unreadable: 0 };
  for (const spec of SEALED_COLUMNS) {
    let after: string | undefined;
    for (;;) {
      const rows = await legacyRows(db, spec, after);
      for (const row of rows) await resealRow(db, spec, row, keys, report);
      if (rows.length < BATCH) break;
      after = rows.at(-1)!.key;
    }
  }
  return report;
}

function legacyRows(db: Db, spec: SealedColumn, after: string | undefined): Promise<Row[]> {
  const legacy: SQL[] = [like(spec.column, `${LEGACY_PREFIX}%`)];
  if (after !== undefined) legacy.push(gt(spec.key, after));
  return db
    .select({
      key: spec.key,
      tenantId: spec.tenantId,
      sealed: spec.column,
      ...(spec.baseUrl && { baseUrl: spec.baseUrl }),
    })
    .from(spec.table)
    .where(and(...legacy))
    .orderBy(asc(spec.key))
    .limit(BATCH) as Promise<Row[]>;
}

async function resealRow(db: Db, spec: SealedColumn, row: Row, keys: EncryptionKey[], report: ResealReport) {
  const binding = spec.binding(row);
  let plaintext: string;
  try {
    plaintext = decryptSecret(row.sealed, keys, binding);
  } catch {
    report.unreadable++;
    return;
  }
  // Written only if the value is still the one read, so a secret saved meanwhile is never overwritten.
  const written = await db
    .update(spec.table)
    .set({ [spec.property]: encryptSecret(plaintext, keys, binding) })
    .where(and(eq(spec.key, row.key), eq(spec.column, row.sealed)))
    .returning({ key: spec.key });
  report.resealed += written.length;
}
