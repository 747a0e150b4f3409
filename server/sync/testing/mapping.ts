// Test helper: loads both sides' reference data and accepts every suggested category and tax mapping, as an admin would.
import type { Db } from "@/db/client";
import { replaceReferenceData, saveMappings } from "@/db/queries/mapping";
import { loadReferenceData } from "@/server/mapping/load";
import { buildMappingScreen, type Reference } from "@/server/mapping/screens";
import type { SyncContext } from "../entity";

export async function mapSuggestions(db: Db, tenantId: string, context: Pick<SyncContext, "splynx" | "books">) {
  const records = await loadReferenceData(context);
  await replaceReferenceData(db, { tenantId, records, loadedAt: new Date() });
  for (const kind of ["category_item", "tax"] as const) {
    const screen = buildMappingScreen(kind, records as Reference[], new Map(), []);
    const entries = screen.rows
      .filter((row) => row.suggestion)
      .map((row) => ({ splynxId: row.splynxId, zohoValue: row.suggestion!.value }));
    await saveMappings(db, { tenantId, kind, entries });
  }
}
