// Whether a document's Splynx and Zoho totals are both known and differ: one expression for the Records filter and for
// the partial index that serves it (the planner uses the index only when the two match exactly).
import { type AnyColumn, type SQL, sql } from "drizzle-orm";

// Cast only what is a decimal: a total Zoho did not answer is unknown, not a mismatch. Inlined, never input.
const DECIMAL = sql.raw(`'^-?[0-9]+(\\.[0-9]+)?$'`);

export function totalsDiffer(details: AnyColumn): SQL {
  const splynx = sql`(${details}->>'splynxTotal')`;
  const zoho = sql`(${details}->>'zohoTotal')`;
  return sql`(case when ${splynx} ~ ${DECIMAL} and ${zoho} ~ ${DECIMAL} then ${splynx}::numeric <> ${zoho}::numeric else false end)`;
}
