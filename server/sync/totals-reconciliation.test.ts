// SPEC §6.2's proof: over 10,000 generated Splynx invoices, the lines closeTheGap makes, created in the Zoho simulator,
// come back with Zoho's total equal to Splynx's to the cent, under both tax roundings, with and without a rounding
// item; and the rounding line (or adjustment) is there exactly when Zoho's own total of the lines would differ.
// totals.ts and the simulator's arithmetic (sandbox/zoho/totals) are separate implementations, so this compares two.
import { describe, expect, it } from "vitest";
import { compare, fromUnits } from "@/server/money";
import { inProcessFetch } from "@/server/sandbox/http-adapter";
import { seededRandom, type Random } from "@/server/sandbox/splynx/random";
import { splynxTotal } from "@/server/sandbox/splynx/seed";
import { createZohoSimulator } from "@/server/sandbox/zoho/simulator";
import { closeTheGap, type DocumentLine, type TaxSpec, type ZohoArithmetic } from "./totals";

const INVOICES = 10_000;
const ORG = "2646610000000000001";
const API = "http://zoho.test";

type SplynxLine = { price: string; quantity: string; tax: string };

/** A price with 4 decimals, as Splynx stores them: mostly plan-like amounts, some tiny, some large. */
function price(random: Random): string {
  const cents = random.weighted([
    [() => random.int(1, 9_999), 2],
    [() => random.int(1_000, 20_000), 6],
    [() => random.int(20_000, 2_000_000), 2],
  ] as const)();
  return fromUnits(BigInt(cents) * 100n + BigInt(random.int(0, 99)), 4);
}

/** A quantity: usually whole, sometimes with 4 decimals (usage, pro-rated periods). */
const quantity = (random: Random) =>
  random.chance(0.7) ? String(random.int(1, 12)) : fromUnits(BigInt(random.int(1, 120_000)), 4);

describe("Zoho totals against Splynx totals", () => {
  it(`match to the cent over ${INVOICES.toLocaleString("en")} generated invoices, with a rounding line only where needed`, async () => {
    const started = performance.now();
    let clock = Date.UTC(2026, 10, 1);
    // A clock that moves on with every look keeps the tiny rate window and the day from ever filling up.
    const zoho = createZohoSimulator({
      accountsServer: API,
      apiDomain: API,
      now: () => (clock += 1),
      windowMs: 1,
      dayMs: 1,
      clients: [{ clientId: "c", clientSecret: "s", redirectUris: [] }],
      contacts: [{ name: "Ann Lee", email: "ann@example.net" }],
    });
    const zohoFetch = inProcessFetch(zoho.handle);
    const consent = await zoho.handle(
      new Request(`${API}/oauth/v2/auth`, {
        method: "POST",
        body: new URLSearchParams({
          client_id: "c",
          redirect_uri: "http://app/cb",
          scope: "ZohoBooks.fullaccess.all",
          access_type: "offline",
          decision: "accept",
          user: "books-admin@sandbox.example",
        }),
      }),
    );
    const code = new URL(consent.headers.get("location")!).searchParams.get("code")!;
    const token = (
      (await (
        await zoho.handle(
          new Request(
            `${API}/oauth/v2/token?${new URLSearchParams({ grant_type: "authorization_code", client_id: "c", client_secret: "s", redirect_uri: "http://app/cb", code })}`,
            { method: "POST" },
          ),
        )
      ).json()) as { access_token: string }
    ).access_token;

    const org = zoho.store.organizations.get(ORG)!;
    const customerId = String([...org.contacts.values()][0]!.contact_id);
    const itemNamed = (name: string) => String([...org.items.values()].find((item) => item.name === name)!.item_id);
    const taxNamed = (name: string) => [...org.taxes.values()].find((tax) => tax.tax_name === name)!;
    const itemId = itemNamed("Internet 100M");
    const roundingItemId = itemNamed("Rounding");
    const single = (name: string): TaxSpec => ({
      taxId: String(taxNamed(name).tax_id),
      percentage: String(taxNamed(name).tax_percentage),
    });
    const [vat, reduced, zero, vat75] = ["VAT 20%", "VAT 5% (reduced)", "Zero rated", "VAT 7.5%"].map(single) as [
      TaxSpec,
      TaxSpec,
      TaxSpec,
      TaxSpec,
    ];
    // The group as the engine learns it from GET /settings/taxgroups/{id}: its members' percentages and ids.
    const group: TaxSpec = {
      ...single("VAT + telecoms levy"),
      components: [vat.percentage, reduced.percentage],
      componentIds: [vat.taxId, reduced.taxId],
    };
    const TAXES: (readonly [TaxSpec | null, number])[] = [
      [vat, 8],
      [reduced, 2],
      [zero, 1],
      [vat75, 2],
      [group, 3],
      [null, 1],
    ];

    const random = seededRandom(20261101);
    const counts = {
      invoices: 0,
      closedWithLine: 0,
      closedWithAdjustment: 0,
      alreadyEqual: 0,
      byRounding: { item: 0, entity: 0 },
      gapCents: new Map<string, number>(),
    };
    const mismatches: string[] = [];

    while (counts.invoices < INVOICES) {
      const lines: { splynx: SplynxLine; zoho: DocumentLine }[] = Array.from({ length: random.int(1, 6) }, () => {
        const tax = random.weighted(TAXES);
        const splynx = { price: price(random), quantity: quantity(random), tax: tax?.percentage ?? "0" };
        return {
          splynx,
          zoho: {
            itemId,
            description: "Internet 100M 2026-11-01 – 2026-11-30",
            quantity: splynx.quantity,
            rate: splynx.price,
            tax,
          },
        };
      });
      // Discount lines: a negative price, taxed as the service they discount.
      if (random.chance(0.3)) {
        const discounted = random.pick(lines);
        const splynx = { price: `-${price(random)}`, quantity: "1", tax: discounted.splynx.tax };
        lines.push({
          splynx,
          zoho: { ...discounted.zoho, description: "Loyalty discount", quantity: "1", rate: splynx.price },
        });
      }
      const target = splynxTotal(lines.map((line) => line.splynx));
      // Splynx does not let an invoice's total go below zero (credit notes carry refunds).
      if (compare(target, "0") < 0) continue;
      counts.invoices++;

      const arithmetic: ZohoArithmetic = { taxRounding: counts.invoices % 2 === 0 ? "item" : "entity" };
      const withRoundingItem = counts.invoices % 4 < 2;
      zoho.setPreferences(ORG, { taxRounding: arithmetic.taxRounding === "item" ? "item_level" : "entity_level" });
      const closed = closeTheGap(
        lines.map((line) => line.zoho),
        target,
        arithmetic,
        withRoundingItem ? roundingItemId : null,
      );
      const body = {
        customer_id: customerId,
        line_items: closed.lines.map((line) => ({
          item_id: line.itemId,
          description: line.description,
          rate: Number(line.rate),
          quantity: Number(line.quantity),
          ...(line.tax ? { tax_id: line.tax.taxId } : {}),
        })),
        ...(closed.adjustment ? { adjustment: Number(closed.adjustment), adjustment_description: "Rounding" } : {}),
      };
      const answer = await zohoFetch(`${API}/books/v3/invoices?organization_id=${ORG}`, {
        method: "POST",
        headers: { authorization: `Zoho-oauthtoken ${token}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      const { invoice } = (await answer.json()) as {
        invoice: { total: number; adjustment: number; line_items: { item_id: string; item_total: number }[] };
      };

      const roundingLines = invoice.line_items.filter((line) => line.item_id === roundingItemId);
      const absorbed =
        roundingLines.reduce((sum, line) => sum + Math.round(line.item_total * 100), 0) +
        Math.round(invoice.adjustment * 100);
      // What Zoho makes of the Splynx lines alone, by its own (the simulator's) arithmetic.
      const zohoWithout = (Math.round(invoice.total * 100) - absorbed) / 100;
      if (
        invoice.total.toFixed(2) !== target ||
        roundingLines.length > 1 ||
        (absorbed === 0) !== (zohoWithout.toFixed(2) === target)
      ) {
        mismatches.push(
          `${JSON.stringify(body)} → Zoho ${invoice.total}, Splynx ${target}, absorbed ${absorbed / 100}`,
        );
      }
      counts.byRounding[arithmetic.taxRounding]++;
      if (absorbed === 0) counts.alreadyEqual++;
      else if (withRoundingItem) counts.closedWithLine++;
      else counts.closedWithAdjustment++;
      if (absorbed !== 0) counts.gapCents.set(closed.gap, (counts.gapCents.get(closed.gap) ?? 0) + 1);
    }

    const seconds = (performance.now() - started) / 1000;
    console.info(
      `reconciliation: ${counts.invoices} invoices in ${seconds.toFixed(1)} s (item ${counts.byRounding.item}, entity ${counts.byRounding.entity}); equal without help ${counts.alreadyEqual}, rounding line ${counts.closedWithLine}, adjustment ${counts.closedWithAdjustment}; gaps ${JSON.stringify(Object.fromEntries([...counts.gapCents].sort(([a], [b]) => compare(a, b))))}`,
    );
    expect(mismatches.slice(0, 5)).toEqual([]);
    expect(counts.invoices).toBe(INVOICES);
    // Both ways of closing a gap were exercised, and invoices whose totals agree by themselves got neither.
    expect(counts.closedWithLine).toBeGreaterThan(100);
    expect(counts.closedWithAdjustment).toBeGreaterThan(100);
    expect(counts.alreadyEqual).toBeGreaterThan(100);
  }, 120_000);
});
