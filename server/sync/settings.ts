// Tenant settings (SPEC §3): every field of the add-on with its defaults, validated with a clear message per field.
import { z } from "zod";

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "Use the format YYYY-MM-DD");
const splynxId = z.string().regex(/^\d{1,20}$/, "Not a Splynx id");
const timeZone = z
  .string()
  .max(64, "Use at most 64 characters")
  .refine((value) => {
    try {
      new Intl.DateTimeFormat("en", { timeZone: value });
      return true;
    } catch {
      return false;
    }
  }, "Not a known time zone, such as Europe/London");

/** The placeholders a customer name pattern may hold, each replaced by the Splynx customer's field. */
export const NAME_PLACEHOLDERS = ["{id}", "{login}", "{name}", "{email}"] as const;

/** Braces that are not a placeholder, wherever they stand: "{name} {adress}" → ["{adress}"], "{id" → ["{id"]. */
export function unknownPlaceholders(pattern: string): string[] {
  const rest = NAME_PLACEHOLDERS.reduce((text, placeholder) => text.replaceAll(placeholder, " "), pattern);
  return [...new Set(rest.match(/\{[^{}]*\}?|\}/g) ?? [])];
}

export const settingsSchema = z.object({
  general: z
    .object({
      statementGrouping: z.enum(["monthly", "daily"]).default("monthly"),
      ignoredPartnerIds: z.array(splynxId).max(1000, "Use at most 1000").default([]),
      exportFromDate: day.nullable().default(null),
      currencyCode: z
        .string()
        .regex(/^[A-Z]{3}$/, "Use a three-letter currency code")
        .nullable()
        .default(null),
      timeZone: timeZone.default("UTC"),
      // A Splynx record that matches a Zoho record no link holds: paired at once, or held for a person to review.
      existingMatch: z.enum(["hold", "pair"]).default("hold"),
      // The share of the daily Zoho quota left for the ISP's other integrations; a run pauses when only this is left.
      quotaReservePercent: z.number().int("Use a whole number").min(0, "At least 0").max(90, "At most 90").default(20),
      // Runs and their per-record lines older than this are pruned from the sync log every night.
      logRetentionDays: z
        .number()
        .int("Use a whole number")
        .min(7, "At least 7")
        .max(3650, "At most 3650")
        .default(180),
    })
    .prefault({}),
  customers: z
    .object({
      namePattern: z
        .string()
        .trim()
        .min(1, "Enter a pattern such as {name}")
        .max(200)
        .superRefine((pattern, context) => {
          const unknown = unknownPlaceholders(pattern);
          if (unknown.length > 0)
            context.addIssue({
              code: "custom",
              message: `Unknown placeholder ${unknown.join(", ")}: use only ${NAME_PLACEHOLDERS.join(", ")}`,
            });
        })
        .refine(
          (pattern) => /\{(id|login|name|email)\}/.test(pattern),
          `Use at least one of ${NAME_PLACEHOLDERS.join(", ")}`,
        )
        .default("{name}"),
      checkDataBeforeExport: z.boolean().default(false),
      ignoreInactive: z.boolean().default(false),
      roundingItemId: z
        .string()
        .regex(/^\d{1,30}$/, "Not a Zoho item id")
        .nullable()
        .default(null),
      // Invoices stay drafts in Zoho instead of being marked sent (payments can't be applied to drafts).
      invoicesAsDrafts: z.boolean().default(false),
    })
    .prefault({}),
  paymentsExport: z
    .object({
      enabled: z.boolean().default(false),
      allowedMethodIds: z.array(splynxId).max(1000, "Use at most 1000").default([]),
      // Zoho's documented payment modes, until the tenant lists its own.
      paymentModes: z
        .array(z.string().trim().min(1).max(100))
        .max(100, "Use at most 100 payment modes")
        .default(["cash", "check", "creditcard", "banktransfer", "bankremittance", "autotransaction", "others"]),
      defaultPaymentMode: z.string().trim().min(1).max(100).nullable().default(null),
      // A payment custom field the organization refuses duplicates in: payments are written by it (Zoho's upsert),
      // so a repeated write updates the one payment instead of making another.
      uniqueFieldApiName: z
        .string()
        .trim()
        .regex(/^cf_[a-z0-9_]{1,60}$/i, "Zoho's API name of the custom field, such as cf_splynx_payment_id")
        .nullable()
        .default(null),
    })
    .prefault({}),
  paymentsImport: z
    .object({
      enabled: z.boolean().default(false),
      accountingMethodId: splynxId.nullable().default(null),
      importFromDate: day.nullable().default(null),
      createPaymentAlways: z.boolean().default(false),
    })
    .prefault({}),
  schedule: z
    .object({
      launchTime: z
        .string()
        .regex(/^([01]\d|2[0-3]):[0-5]\d$/, "Use HH:MM, 24-hour")
        .default("03:00"),
      intervalMinutes: z
        .union([z.literal(15), z.literal(30), z.literal(60)])
        .nullable()
        .default(null),
      customers: z.boolean().default(false),
      invoices: z.boolean().default(false),
      creditNotes: z.boolean().default(false),
      payments: z.boolean().default(false),
    })
    .prefault({}),
});

export type Settings = z.output<typeof settingsSchema>;

/** Stored settings with every missing field at its default. */
/**
 * Stored settings as a run and the Settings page read them. A value saved under older, looser rules (a name pattern
 * with a placeholder now refused) is read as it was, so nothing changes in Zoho until a person fixes it on Settings;
 * only a value of the wrong shape falls back to its default.
 */
export function readSettings(stored: unknown): Settings {
  const parsed = settingsSchema.safeParse(stored ?? {});
  if (parsed.success) return parsed.data;
  const values = structuredClone(stored ?? {}) as Record<string, Record<string, unknown>>;
  const kept: [string, string, unknown][] = [];
  for (const issue of parsed.error.issues) {
    const [section, field] = issue.path as string[];
    const holder = section === undefined ? undefined : values[section];
    if (!holder || field === undefined) continue;
    if (issue.code === "custom") kept.push([section!, field, holder[field]]);
    delete holder[field];
  }
  const settings = settingsSchema.parse(values) as unknown as Record<string, Record<string, unknown>>;
  for (const [section, field, value] of kept) settings[section]![field] = value;
  return settings as unknown as Settings;
}
