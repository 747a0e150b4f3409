// Data mapping (SPEC §4): load reference data, the four screens, save, reset, and the setup checklist.
import { z } from "zod";
import { hasAudited, recordAudit } from "@/db/queries/audit";
import { cacheSummary, countHeldCustomers } from "@/db/queries/pairing";
import { deleteTenantLinks, describeLinked, linkedOutside } from "@/db/queries/links-reset";
import { activeRun, lastRun } from "@/db/queries/runs";
import {
  eraseMappingData,
  listMappings,
  listReference,
  referenceLoadedAt,
  replaceReferenceData,
  saveMappings,
} from "@/db/queries/mapping";
import { getSplynxConnection } from "@/db/queries/splynx";
import { countLinks, getSettingsRow } from "@/db/queries/sync";
import { readSettings } from "@/server/sync/settings";
import { chooseOrganization, getZohoConnection } from "@/db/queries/zoho";
import { MAPPING_KINDS, type MappingKind } from "@/db/schema";
import { DomainError } from "@/server/errors";
import { loadReferenceData } from "@/server/mapping/load";
import { buildMappingScreen, describeMappingChanges, SCREEN_TITLES, type Reference } from "@/server/mapping/screens";
import { nextSetupStep, setupSteps } from "@/server/mapping/setup-steps";
import { splynxClientForTenant } from "@/server/splynx/connect";
import { booksClientForTenant } from "@/server/zoho/connection";
import type { Db } from "@/db/client";
import { router, tenantProcedure } from "../init";

const kind = z.enum(MAPPING_KINDS);

async function screensFor(db: Db, tenantId: string, kinds: readonly MappingKind[] = MAPPING_KINDS) {
  const reference = (await listReference(db, { tenantId })) as Reference[];
  const current = await listMappings(db, { tenantId });
  const { paymentModes } = readSettings(await getSettingsRow(db, tenantId)).paymentsExport;
  return kinds.map((screenKind) =>
    buildMappingScreen(
      screenKind,
      reference,
      new Map(current.filter((row) => row.kind === screenKind).map((row) => [row.splynxId, row.zohoValue])),
      paymentModes,
    ),
  );
}

export const mappingRouter = router({
  screen: tenantProcedure("viewer")
    .input(z.object({ kind }))
    .query(async ({ ctx, input }) => {
      const [screen] = await screensFor(ctx.db, ctx.tenant.id, [input.kind]);
      return { ...screen!, loadedAt: await referenceLoadedAt(ctx.db, ctx.tenant.id) };
    }),

  load: tenantProcedure("admin").mutation(async ({ ctx }) => {
    const records = await loadReferenceData({
      splynx: await splynxClientForTenant(ctx.db, ctx.tenant.id),
      books: await booksClientForTenant(ctx.db, ctx.tenant.id),
    });
    await ctx.db.transaction(async (tx) => {
      await replaceReferenceData(tx, { tenantId: ctx.tenant.id, records, loadedAt: new Date() });
      const counts = Object.fromEntries(
        records.reduce(
          (tally, record) => tally.set(record.kind, (tally.get(record.kind) ?? 0) + 1),
          new Map<string, number>(),
        ),
      );
      await recordAudit(tx, { tenantId: ctx.tenant.id, actor: ctx.actor, action: "mapping.load", details: counts });
    });
    // Mappings are kept; those whose Zoho target vanished are now shown as missing.
    const after = await screensFor(ctx.db, ctx.tenant.id);
    const vanished = after.flatMap((screen) =>
      screen.rows.filter((row) => row.currentMissing).map((row) => `${screen.kind}:${row.name}`),
    );
    return { records: records.length, vanished };
  }),

  save: tenantProcedure("admin")
    .input(
      z.object({
        kind,
        entries: z
          .array(z.object({ splynxId: z.string().min(1).max(64), zohoValue: z.string().min(1).max(200).nullable() }))
          .max(5000),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const [screen] = await screensFor(ctx.db, ctx.tenant.id, [input.kind]);
      const rowIds = new Set(screen!.rows.map((row) => row.splynxId));
      const targets = new Set(screen!.targets.map((target) => target.value));
      for (const entry of input.entries) {
        if (!rowIds.has(entry.splynxId))
          throw new DomainError(
            "BAD_REQUEST",
            `Splynx entry ${entry.splynxId} is not in the loaded mapping data; load it again.`,
          );
        if (entry.zohoValue !== null && !targets.has(entry.zohoValue))
          throw new DomainError("BAD_REQUEST", `"${entry.zohoValue}" is not one of the Zoho choices for this screen.`);
      }
      return ctx.db.transaction(async (tx) => {
        const changes = await saveMappings(tx, { tenantId: ctx.tenant.id, kind: input.kind, entries: input.entries });
        if (changes.length > 0)
          await recordAudit(tx, {
            tenantId: ctx.tenant.id,
            actor: ctx.actor,
            action: "mapping.save",
            target: SCREEN_TITLES[input.kind],
            details: describeMappingChanges(screen!, changes),
          });
        return { changed: changes.length };
      });
    }),

  /** What "also all links" would erase: the records linked to Zoho, and the organizations they are linked to. */
  linkedRecords: tenantProcedure("admin").query(async ({ ctx }) => {
    const linked = await linkedOutside(ctx.db, { tenantId: ctx.tenant.id, organizationId: null });
    return {
      records: linked.reduce((total, organization) => total + organization.records, 0),
      description: linked.length > 0 ? describeLinked(linked) : null,
    };
  }),

  reset: tenantProcedure("admin")
    .input(
      z.object({
        confirmation: z.string().max(100, "Use at most 100 characters"),
        forgetOrganization: z.boolean(),
        eraseLinks: z.boolean().default(false),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      if (input.confirmation !== "RESET")
        throw new DomainError("BAD_REQUEST", 'Type "RESET" to confirm.', "confirmation");
      return ctx.db.transaction(async (tx) => {
        // A run still going would write links again as it goes.
        if (input.eraseLinks && (await activeRun(tx, ctx.tenant.id)))
          throw new DomainError(
            "CONFLICT",
            "A sync is running; wait for it to end, or cancel it, before erasing the links.",
          );
        const linked = input.eraseLinks
          ? await linkedOutside(tx, { tenantId: ctx.tenant.id, organizationId: null })
          : [];
        const erased = await eraseMappingData(tx, { tenantId: ctx.tenant.id });
        const linksErased = input.eraseLinks ? await deleteTenantLinks(tx, { tenantId: ctx.tenant.id }) : 0;
        const connection = await getZohoConnection(tx, { tenantId: ctx.tenant.id });
        // Forgetting the organization is what allows switching to another one.
        if (input.forgetOrganization && connection?.organizationId)
          await chooseOrganization(tx, {
            tenantId: ctx.tenant.id,
            organizationId: null,
            organizationName: null,
            organizationPlan: null,
          });
        const links = input.eraseLinks
          ? { linksErased, linkedBefore: linked.length > 0 ? describeLinked(linked) : "none" }
          : {};
        await recordAudit(tx, {
          tenantId: ctx.tenant.id,
          actor: ctx.actor,
          action: "mapping.reset",
          details: {
            mappings: erased.mappings,
            forgetOrganization: input.forgetOrganization,
            eraseLinks: input.eraseLinks,
            ...links,
          },
        });
        return { ...erased, linksErased };
      });
    }),

  /** The setup of the ISP as ordered steps, and the one to take next (null once it is set up). */
  setup: tenantProcedure("viewer").query(async ({ ctx }) => {
    const tenantId = ctx.tenant.id;
    const [splynx, zoho, loadedAt, screens, contacts, loadedCustomers, run, synced, stored] = await Promise.all([
      getSplynxConnection(ctx.db, { tenantId }),
      getZohoConnection(ctx.db, { tenantId }),
      referenceLoadedAt(ctx.db, tenantId),
      screensFor(ctx.db, tenantId),
      cacheSummary(ctx.db, tenantId),
      // An organization without customers leaves the cache empty: the load itself is what counts.
      hasAudited(ctx.db, { tenantId, action: "pairing.load" }),
      lastRun(ctx.db, tenantId),
      countLinks(ctx.db, { tenantId, state: "synced" }),
      getSettingsRow(ctx.db, tenantId),
    ]);
    const held = zoho?.organizationId
      ? await countHeldCustomers(ctx.db, { tenantId, organizationId: zoho.organizationId })
      : 0;
    const schedule = readSettings(stored).schedule;
    const steps = setupSteps(
      {
        splynxSaved: Boolean(splynx),
        splynxTested: Boolean(splynx?.lastTest?.ok),
        zohoConnected: zoho?.state === "connected",
        zohoNeedsReconnect: zoho?.state === "needs_reconnect",
        organizationChosen: Boolean(zoho?.organizationId),
        mappingLoaded: loadedAt !== null,
        unmappedUsed: screens.reduce((total, screen) => total + screen.unmappedUsed, 0),
        zohoCustomersLoaded: contacts.contacts > 0 || loadedCustomers,
        heldCustomers: held,
        firstSyncDone: run?.status === "succeeded" || synced > 0,
        scheduleOn: schedule.customers || schedule.invoices || schedule.creditNotes || schedule.payments,
      },
      `/t/${ctx.tenant.slug}`,
    );
    return { steps, next: nextSetupStep(steps) };
  }),

  /** SPEC §4.3: what is ready, and where to fix what is not. */
  checklist: tenantProcedure("viewer").query(async ({ ctx }) => {
    const [splynx, zoho, loadedAt, screens] = await Promise.all([
      getSplynxConnection(ctx.db, { tenantId: ctx.tenant.id }),
      getZohoConnection(ctx.db, { tenantId: ctx.tenant.id }),
      referenceLoadedAt(ctx.db, ctx.tenant.id),
      screensFor(ctx.db, ctx.tenant.id),
    ]);
    const base = `/t/${ctx.tenant.slug}`;
    const unmapped = (screenKind: MappingKind) => screens.find((screen) => screen.kind === screenKind)!.unmappedUsed;
    return [
      {
        id: "splynx",
        label: "Splynx connected",
        done: Boolean(splynx?.lastTest?.ok),
        detail: splynx
          ? splynx.lastTest?.ok
            ? undefined
            : "Test the connection until every check passes."
          : "Not connected.",
        href: `${base}/connections/splynx`,
      },
      {
        id: "zoho",
        label: "Zoho Books connected",
        done: zoho?.state === "connected",
        detail: zoho?.state === "needs_reconnect" ? "Zoho needs reconnecting." : zoho ? undefined : "Not connected.",
        href: `${base}/connections/zoho`,
      },
      {
        id: "organization",
        label: "Zoho organization chosen",
        done: Boolean(zoho?.organizationId),
        href: `${base}/connections/zoho`,
      },
      {
        id: "loaded",
        label: "Mapping data loaded",
        done: loadedAt !== null,
        detail: loadedAt ? undefined : "Load it on the mapping page.",
        href: `${base}/mapping`,
      },
      ...(["category_item", "tax", "method_account", "method_mode"] as const).map((screenKind) => ({
        id: `mapped:${screenKind}`,
        label: {
          category_item: "Every used category has a Zoho item",
          tax: "Every used tax has a Zoho tax",
          method_account: "Every used payment method has a deposit account",
          method_mode: "Every used payment method has a payment mode",
        }[screenKind],
        done: loadedAt !== null && unmapped(screenKind) === 0,
        detail: loadedAt !== null && unmapped(screenKind) > 0 ? `${unmapped(screenKind)} unmapped` : undefined,
        href: `${base}/mapping?screen=${screenKind}`,
      })),
    ];
  }),
});
