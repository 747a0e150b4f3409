// Test helper: a preview through the harness's simulators, as the report job makes it (read-only Zoho, scratch copy).
import type { Db } from "@/db/client";
import { syncRunEntries } from "@/db/schema";
import { eq } from "drizzle-orm";
import { saveMappings } from "@/db/queries/mapping";
import { ORGANIZATION, syncHarness } from "@/server/sync/testing/harness";
import type { PreviewAction } from "./decide";
import { previewEntities, type PreviewEntity, type PreviewRow } from "./preview";
import { readOnlyBooks } from "./read-only";
import { openShadow } from "./shadow";

type Harness = Awaited<ReturnType<typeof syncHarness>>;

/** Splynx's seeded methods 1–3 exported (7, "Zoho Books", is the accounting method imported payments get). */
const EXPORTING_PAYMENTS = {
  paymentsExport: { enabled: true, allowedMethodIds: ["1", "2", "3"], defaultPaymentMode: "banktransfer" },
  paymentsImport: { accountingMethodId: "7" },
};

/** A harness with every entity ready to export: categories and taxes mapped, payments deposited to Undeposited Funds. */
export async function exportingHarness(db: Db, size: { customers: number; invoices: number }) {
  const harness = await syncHarness(db, { ...size, settings: EXPORTING_PAYMENTS });
  await harness.mapSuggestions();
  const org = harness.zoho.store.organizations.get(ORGANIZATION)!;
  const undeposited = [...org.accounts.values()].find((account) => account.account_name === "Undeposited Funds")!;
  await saveMappings(db, {
    tenantId: harness.tenant.id,
    kind: "method_account",
    entries: [{ splynxId: "*", zohoValue: String(undeposited.account_id) }],
  });
  return { harness, org };
}

/** Zoho writes the simulator answered so far (creates, updates, status changes, deletes), tokens aside. */
export const zohoWrites = (harness: Harness) =>
  [...harness.zoho.calls.entries()]
    .filter(([key]) => /^(POST|PUT|DELETE) /.test(key) && !key.includes("/oauth/"))
    .reduce((sum, [, calls]) => sum + calls, 0);

export async function previewThrough(db: Db, harness: Harness, entities: readonly PreviewEntity[]) {
  const context = harness.context("preview");
  readOnlyBooks(context.books);
  const shadow = await openShadow(db, harness.tenant.id);
  const rows: PreviewRow[] = [];
  try {
    await previewEntities({ ...context, tenantId: shadow.tenantId }, entities, {
      rows: async (page) => {
        rows.push(...page);
      },
      progress: async () => {},
    });
  } finally {
    await shadow.drop();
  }
  return { rows, zohoCalls: context.books.calls };
}

const RUN_ACTION: Record<string, PreviewAction | undefined> = {
  created: "create",
  adopted: "create",
  updated: "update",
  skipped: "skip",
  failed: "fail",
  held: "held",
};

/** What a run did with each record, as preview actions ("entity:splynxId" → action); unchanged records log nothing. */
export async function runActions(db: Db, runIds: string[]) {
  const actions = new Map<string, PreviewAction>();
  for (const runId of runIds)
    for (const entry of await db.select().from(syncRunEntries).where(eq(syncRunEntries.runId, runId))) {
      const action = RUN_ACTION[entry.action];
      if (action) actions.set(`${entry.entity}:${entry.splynxId}`, action);
    }
  return actions;
}
