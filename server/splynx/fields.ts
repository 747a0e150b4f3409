// zod readers for the type variations real Splynx servers send: ids as number or string, 4-decimal strings, "0000-00-00", "0"/"1".
import { z } from "zod";

const numericString = /^-?\d+(\.\d+)?$/;

/** An integer id, sent as 7 or "7". */
export const splynxId = z.union([
  z.number().int().nonnegative(),
  z.string().regex(/^\d+$/, "expected an integer id").transform(Number),
]);

/** An optional reference: null, 0, "0" and "" all mean "none". */
export const optionalId = z
  .union([z.number().int().nonnegative(), z.string().regex(/^\d*$/, "expected an integer id"), z.null()])
  .optional()
  .transform((value) =>
    value === undefined || value === null || value === "" || Number(value) === 0 ? null : Number(value),
  );

/**
 * A money or quantity value as an exact decimal string ("64516.1290", "69354.84"), never a float.
 * JSON numbers are taken through their shortest round-trip text, which is the value Splynx printed.
 */
export const decimal = z
  .union([z.number(), z.string().trim().regex(numericString, "expected a decimal number")])
  .transform((value) => {
    const text = typeof value === "number" ? String(value) : value;
    if (/e/i.test(text)) return Number(text).toFixed(4);
    return text.startsWith("+") ? text.slice(1) : text;
  });

/** A `YYYY-MM-DD` date; Splynx's "0000-00-00" and "" mean none. */
export const optionalDate = z
  .union([z.string(), z.null()])
  .optional()
  .transform((value, context) => {
    if (!value || value.startsWith("0000-00-00")) return null;
    const day = value.slice(0, 10);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) {
      context.addIssue({ code: "custom", message: `expected a date as YYYY-MM-DD, got "${value}"` });
      return z.NEVER;
    }
    return day;
  });

/** A `YYYY-MM-DD HH:MM:SS` server-local timestamp, kept as text; "0000-00-00 00:00:00" means none. */
export const optionalDateTime = z
  .union([z.string(), z.null()])
  .optional()
  .transform((value) => (!value || value.startsWith("0000-00-00") ? null : value));

/** A flag sent as "1"/"0", 1/0 or true/false. */
export const flag = z
  .union([z.boolean(), z.literal(0), z.literal(1), z.enum(["0", "1", "true", "false", ""])])
  .transform((value) => value === true || value === 1 || value === "1" || value === "true");

export const text = z
  .union([z.string(), z.number(), z.null()])
  .optional()
  .transform((value) => (value === null || value === undefined ? "" : String(value)));
