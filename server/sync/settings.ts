// Tenant settings (SPEC §3): every field of the add-on with its defaults, validated with a clear message per field.
import { z } from "zod";

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "Use the format YYYY-MM-DD");
const timeZone = z.string().refine((value) => {
  try {
    new Intl.DateTimeFormat("en", { timeZone: value });
    return true;
  } catch {
    return false;
  }
}, "Not a known time zone, such as Europe/London");

export const settingsSchema = z.object({
  general: z
    .object({
      statementGrouping: z.enum(["monthly", "daily"]).default("monthly"),
      ignoredPartnerIds: z.array(z.string().regex(/^\d+$/)).default([]),
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
    })
    .prefault({}),
  customers: z
    .object({
      namePattern: z
        .string()
        .trim()
        .min(1, "Enter a pattern such as {name}")
        .max(200)
        .refine(
          (pattern) => /\{(id|login|name|email)\}/.test(pattern),
          "Use at least one of {id}, {login}, {name}, {email}",
        )
        .default("{name}"),
      checkDataBeforeExport: z.boolean().default(false),
      ignoreInactive: z.boolean().default(false),
      roundingItemId: z.string().nullable().default(null),
      // Invoices stay drafts in Zoho instead of being marked sent (payments can't be applied to drafts).
      invoicesAsDrafts: z.boolean().default(false),
    })
    .prefault({}),
  paymentsExport: z
    .object({
      enabled: z.boolean().default(false),
      allowedMethodIds: z.array(z.string().regex(/^\d+$/)).default([]),
      // Zoho's documented payment modes, until the tenant lists its own.
      paymentModes: z
        .array(z.string().trim().min(1).max(100))
        .default(["cash", "check", "creditcard", "banktransfer", "bankremittance", "autotransaction", "others"]),
      defaultPaymentMode: z.string().trim().min(1).max(100).nullable().default(null),
    })
    .prefault({}),
  paymentsImport: z
    .object({
      enabled: z.boolean().default(false),
      accountingMethodId: z.string().regex(/^\d+$/).nullable().default(null),
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
export const readSettings = (stored: unknown): Settings => settingsSchema.parse(stored ?? {});
