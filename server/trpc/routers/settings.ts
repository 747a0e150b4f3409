// Tenant settings (SPEC §3): read with every default filled in, saved whole with per-field messages, audited field by field.
import { z } from "zod";
import { recordAudit } from "@/db/queries/audit";
import { listReference } from "@/db/queries/mapping";
import { getSettingsRow, saveSettingsRow } from "@/db/queries/sync";
import { splynxClientForTenant } from "@/server/splynx/connect";
import { contactName } from "@/server/sync/entities/customers";
import { readSettings, settingsSchema } from "@/server/sync/settings";
import { router, tenantProcedure } from "../init";

/** "customers.namePattern" → value, for field-by-field audit entries. */
function flatten(value: unknown, prefix = ""): Record<string, string> {
  if (value === null || typeof value !== "object" || Array.isArray(value))
    return { [prefix]: Array.isArray(value) ? value.join(", ") : String(value) };
  return Object.assign(
    {},
    ...Object.entries(value).map(([key, item]) => flatten(item, prefix ? `${prefix}.${key}` : key)),
  );
}

export const settingsRouter = router({
  get: tenantProcedure("viewer").query(async ({ ctx }) => {
    const reference = await listReference(ctx.db, {
      tenantId: ctx.tenant.id,
      kinds: ["splynx_partner", "splynx_payment_method", "zoho_currency", "zoho_item"],
    });
    const options = (kind: string) =>
      reference
        .filter((record) => record.kind === kind)
        .map((record) => ({ value: record.externalId, label: record.name }));
    return {
      settings: readSettings(await getSettingsRow(ctx.db, ctx.tenant.id)),
      // Choices come from the loaded mapping data; free text where it isn't loaded yet.
      options: {
        partners: options("splynx_partner"),
        paymentMethods: options("splynx_payment_method"),
        currencies: options("zoho_currency"),
        items: options("zoho_item"),
      },
    };
  }),

  /** The tenant's time zone, in which every screen and export shows times. */
  timeZone: tenantProcedure("viewer").query(
    async ({ ctx }) => readSettings(await getSettingsRow(ctx.db, ctx.tenant.id)).general.timeZone,
  ),

  save: tenantProcedure("admin")
    .input(z.object({ settings: settingsSchema }))
    .mutation(({ ctx, input }) =>
      ctx.db.transaction(async (tx) => {
        const before = flatten(readSettings(await getSettingsRow(tx, ctx.tenant.id)));
        const after = flatten(input.settings);
        const changes = Object.fromEntries(
          Object.keys(after)
            .filter((key) => before[key] !== after[key])
            .map((key) => [key, { before: before[key] ?? "", after: after[key] }]),
        );
        await saveSettingsRow(tx, { tenantId: ctx.tenant.id, values: input.settings });
        if (Object.keys(changes).length > 0)
          await recordAudit(tx, {
            tenantId: ctx.tenant.id,
            actor: ctx.actor,
            action: "settings.save",
            details: changes,
          });
        return { changed: Object.keys(changes).length };
      }),
    ),

  /** The name pattern applied to a real Splynx customer. */
  previewName: tenantProcedure("viewer")
    .input(z.object({ pattern: z.string().max(200) }))
    .query(async ({ ctx, input }) => {
      const splynx = await splynxClientForTenant(ctx.db, ctx.tenant.id);
      const { value: page } = await splynx.pages("customers", { pageSize: 1 }).next();
      const customer = page?.records[0];
      return customer
        ? { customer: `${customer.name} (${customer.id})`, name: contactName(customer, input.pattern || "{name}") }
        : null;
    }),
});
