// Many tenants at once, connected and scheduled, inserted in one statement: for the scheduler's tests and benchmark.
import { sql } from "drizzle-orm";
import type { Db } from "../client";
import { rowsOf } from "../rows";

/**
 * `count` tenants named `<prefix>-1` … `<prefix>-<count>`, each connected to Splynx and Zoho, whose stored settings are
 * `settingsOf(n)`'s (a JSON object, or null for none); returns their ids by number.
 */
export async function insertScheduledTenants(
  db: Db,
  input: { prefix: string; count: number; settingsOf: (n: number) => object | null },
): Promise<Map<number, string>> {
  const settings = Array.from({ length: input.count }, (_, index) => input.settingsOf(index + 1));
  const rows = await rowsOf<{ id: string; n: number }>(
    db,
    sql`
    with made as (
      insert into tenants (slug, name)
      select ${input.prefix} || '-' || n, 'ISP ' || n from generate_series(1, ${input.count}) as n
      returning id, substring(slug from ${input.prefix.length + 2}::int)::int as n
    ), stored as (
      insert into tenant_settings (tenant_id, values)
      select id, (${JSON.stringify(settings)}::jsonb) -> (n - 1) from made
      where (${JSON.stringify(settings)}::jsonb) -> (n - 1) <> 'null'::jsonb
    ), splynx as (
      insert into splynx_connections (tenant_id, base_url, api_key_sealed, api_secret_sealed)
      select id, 'https://isp' || n || '.splynx.app', 'sealed', 'sealed' from made
    ), zoho as (
      insert into zoho_connections (tenant_id, region, accounts_server, api_domain, refresh_token_sealed, organization_id)
      select id, 'EU', 'https://accounts.zoho.eu', 'https://www.zohoapis.eu', 'sealed', 'org-' || n from made
    )
    select id, n from made`,
  );
  return new Map(rows.map((row) => [row.n, row.id]));
}
