import { describe, expect, it } from "vitest";
import { booksSession, ORG } from "./testing/books-session";

async function organization(options: Parameters<typeof booksSession>[0] = {}) {
  const session = await booksSession({
    contacts: [
      { name: "Ann Lee", email: "ann@example.net" },
      { name: "Émile Dubois", email: "emile@example.net", currencyCode: "EUR" },
    ],
    ...options,
  });
  const org = session.zoho.store.organizations.get(ORG)!;
  const [ann, emile] = [...org.contacts.values()];
  const [item] = [...org.items.values()];
  const tax = (name: string) =>
    String([...org.taxes.values()].find((candidate) => candidate.tax_name === name)!.tax_id);
  const taxes = {
    vat: tax("VAT 20%"),
    reduced: tax("VAT 5% (reduced)"),
    vat75: tax("VAT 7.5%"),
    group: tax("VAT + telecoms levy"),
  };
  const line = (rate: number | string, taxId: string | null, extra: Record<string, unknown> = {}) => ({
    item_id: item!.item_id,
    rate,
    quantity: 1,
    ...(taxId ? { tax_id: taxId } : {}),
    ...extra,
  });
  let notes = 0;
  const create = async (lines: unknown[], fields: Record<string, unknown> = {}, path = "/invoices") => {
    const note = path === "/creditnotes" ? { date: "2026-11-02", creditnote_number: `CN-${++notes}` } : {};
    const answer = await session.call("POST", `${path}?ignore_auto_number_generation=${path === "/creditnotes"}`, {
      customer_id: ann!.contact_id,
      line_items: lines,
      ...note,
      ...fields,
    });
    return answer.status < 300 ? (answer.body.invoice ?? answer.body.creditnote) : answer;
  };
  return { ...session, org, ann: ann!, emile: emile!, taxes, line, create };
}

describe("Zoho's document arithmetic in the simulator", () => {
  it("rounds the rate to the currency's precision before tax, half away from zero", async () => {
    const { create, line, taxes } = await organization();
    expect(await create([line(54.54545, taxes.vat), line(-5.555, null)])).toMatchObject({
      line_items: [
        { rate: 54.55, item_total: 54.55 },
        { rate: -5.56, item_total: -5.56 },
      ],
      sub_total: 48.99,
      tax_total: 10.91,
      total: 59.9,
      price_precision: 2,
    });
  });

  it("rounds tax per line at item level and once per tax at entity level, as the organization prefers", async () => {
    const { zoho, create, line, taxes } = await organization();
    const lines = [line(1.1, taxes.vat75), line(1.1, taxes.vat75), line(1.1, taxes.vat75)];
    // 7.5 % of 1.10 is 0.0825: three lines round to 0.08 each, the sum 0.2475 to 0.25.
    expect(await create(lines)).toMatchObject({
      tax_rounding: "item_level",
      tax_total: 0.24,
      total: 3.54,
      taxes: [{ tax_name: "VAT 7.5%", tax_amount: 0.24 }],
    });
    zoho.setPreferences(ORG, { taxRounding: "entity_level" });
    const entity = await create(lines);
    expect(entity).toMatchObject({
      tax_rounding: "entity_level",
      tax_total: 0.25,
      total: 3.55,
      taxes: [{ tax_name: "VAT 7.5%", tax_amount: 0.25 }],
    });
    expect(entity.line_items[0].line_item_taxes).toEqual([
      { tax_id: taxes.vat75, tax_name: "VAT 7.5%", tax_percentage: 7.5, tax_amount: 0.08 },
    ]);
  });

  it("computes a tax group member by member, each rounded as the preference says", async () => {
    const { zoho, create, line, taxes } = await organization();
    // On 0.13: 20 % is 0.026 → 0.03 and 5 % is 0.0065 → 0.01, where 25 % at once would be 0.0325 → 0.03.
    const grouped = await create([line(0.13, taxes.group)]);
    expect(grouped).toMatchObject({
      tax_total: 0.04,
      total: 0.17,
      taxes: [
        { tax_name: "VAT 20%", tax_amount: 0.03 },
        { tax_name: "VAT 5% (reduced)", tax_amount: 0.01 },
      ],
    });
    expect(grouped.line_items[0]).toMatchObject({ tax_id: taxes.group, tax_type: "tax_group", tax_percentage: 25 });
    // At entity level a member adds up with the same tax on other lines: 20 % of 0.13 + 0.13 is 0.052 → 0.05.
    zoho.setPreferences(ORG, { taxRounding: "entity_level" });
    expect(await create([line(0.13, taxes.group), line(0.13, taxes.vat)])).toMatchObject({
      tax_total: 0.06,
      taxes: [
        { tax_name: "VAT 20%", tax_amount: 0.05 },
        { tax_name: "VAT 5% (reduced)", tax_amount: 0.01 },
      ],
    });
  });

  it("takes tax-inclusive rates, the tax coming out of the amount", async () => {
    const { create, line, taxes } = await organization();
    expect(await create([line(12, taxes.vat), line(12.5, taxes.group)], { is_inclusive_tax: true })).toMatchObject({
      is_inclusive_tax: true,
      sub_total: 24.5,
      tax_total: 4.5,
      total: 24.5,
      taxes: [
        { tax_name: "VAT 20%", tax_amount: 4 },
        { tax_name: "VAT 5% (reduced)", tax_amount: 0.5 },
      ],
    });
  });

  it("takes discounts on lines and on the document, before or after tax", async () => {
    const { create, line, taxes } = await organization();
    const lineDiscounts = await create(
      [line(10, taxes.vat, { discount: "10%" }), line(20, taxes.vat, { discount: 2.5 })],
      { discount_type: "item_level" },
    );
    expect(lineDiscounts).toMatchObject({
      line_items: [
        { discount: "10.00%", discount_amount: 1, item_total: 9 },
        { discount: 2.5, discount_amount: 2.5, item_total: 17.5 },
      ],
      sub_total: 26.5,
      tax_total: 5.3,
      total: 31.8,
    });
    expect(
      await create([line(60, taxes.vat), line(40, taxes.vat)], { discount: 10, is_discount_before_tax: true }),
    ).toMatchObject({ discount_total: 10, sub_total: 100, tax_total: 18, total: 108 });
    expect(
      await create([line(60, taxes.vat), line(40, taxes.vat)], { discount: "10%", is_discount_before_tax: false }),
    ).toMatchObject({ discount: "10.00%", discount_total: 12, tax_total: 20, total: 108 });
  });

  it("adds the adjustment after tax, on invoices and credit notes alike", async () => {
    const { create, line, taxes } = await organization();
    expect(
      await create([line(24.9917, taxes.vat)], { adjustment: -0.01, adjustment_description: "Rounding" }),
    ).toMatchObject({ sub_total: 24.99, tax_total: 5, adjustment: -0.01, total: 29.98 });
    expect(await create([line(24.9917, taxes.vat)], { adjustment: 0.02 }, "/creditnotes")).toMatchObject({
      total: 30.01,
      balance: 30.01,
    });
  });

  it("refuses a document in another currency than the base without an exchange rate", async () => {
    const { create, line, taxes, emile, org } = await organization();
    expect(await create([line(10, taxes.vat)], { customer_id: emile.contact_id })).toEqual({
      status: 400,
      body: { code: 2, message: "Invalid value passed for exchange_rate" },
    });
    expect(await create([line(10, taxes.vat)], { customer_id: emile.contact_id }, "/creditnotes")).toMatchObject({
      status: 400,
    });
    expect(await create([line(10, taxes.vat)], { customer_id: emile.contact_id, exchange_rate: 0.8512 })).toMatchObject(
      { currency_code: "EUR", exchange_rate: 0.8512, total: 12 },
    );
    expect(await create([line(10, taxes.vat)])).toMatchObject({ currency_code: "GBP", exchange_rate: 1 });
    expect(org.currencies.size).toBe(3);
  });

  it("keeps the tax rounding a document was created with when it is updated", async () => {
    const { zoho, call, create, line, taxes, ann } = await organization();
    const lines = [line(1.1, taxes.vat75), line(1.1, taxes.vat75), line(1.1, taxes.vat75)];
    const invoice = await create(lines);
    zoho.setPreferences(ORG, { taxRounding: "entity_level" });
    const updated = await call("PUT", `/invoices/${invoice.invoice_id}`, {
      customer_id: ann.contact_id,
      line_items: lines,
    });
    expect(updated.body.invoice).toMatchObject({ tax_rounding: "item_level", tax_total: 0.24 });
  });
});

describe("What the simulator's settings tell about the arithmetic", () => {
  it("answers GET /organizations/{id} with organizations.yml's fields, none of them a tax rounding", async () => {
    const { call } = await organization();
    const { organization: details } = (await call("GET", `/organizations/${ORG}`)).body;
    expect(details).toMatchObject({ organization_id: ORG, currency_code: "GBP", price_precision: 2 });
    expect(Object.keys(details).filter((key) => /round|inclusive|discount/.test(key))).toEqual([]);
  });

  it("lists a tax group with its summed percentage, and its members at /settings/taxgroups/{id}", async () => {
    const { call, taxes } = await organization();
    const listed = (await call("GET", "/settings/taxes")).body.taxes.find(
      (tax: { tax_id: string }) => tax.tax_id === taxes.group,
    );
    expect(listed).toMatchObject({ tax_name: "VAT + telecoms levy", tax_percentage: 25, tax_type: "tax_group" });
    expect(listed).not.toHaveProperty("taxes");
    expect((await call("GET", `/settings/taxgroups/${taxes.group}`)).body.tax_group).toEqual({
      tax_group_id: taxes.group,
      tax_group_name: "VAT + telecoms levy",
      tax_group_percentage: 25,
      taxes: [
        { tax_id: taxes.vat, tax_name: "VAT 20%", tax_percentage: 20, tax_type: "tax" },
        { tax_id: taxes.reduced, tax_name: "VAT 5% (reduced)", tax_percentage: 5, tax_type: "tax" },
      ],
    });
    expect((await call("GET", `/settings/taxgroups/${taxes.vat}`)).status).toBe(404);
  });

  it("lists a currency's exchange rates from a date, led by the closest earlier one", async () => {
    const { call, org } = await organization();
    const euro = String([...org.currencies.values()].find((currency) => currency.currency_code === "EUR")!.currency_id);
    const dates = async (query: string) =>
      (await call("GET", `/settings/currencies/${euro}/exchangerates${query}`)).body.exchange_rates?.map(
        (rate: { effective_date: string }) => rate.effective_date,
      );
    expect(await dates("?from_date=2026-10-15")).toEqual(["2026-10-01", "2026-11-01"]);
    expect(await dates("?from_date=2026-11-01")).toEqual(["2026-11-01"]);
    expect(await dates("?from_date=2023-06-30")).toHaveLength(35);
    expect(await dates("")).toHaveLength(35);
    const [rate] = (await call("GET", `/settings/currencies/${euro}/exchangerates?from_date=2026-11-01`)).body
      .exchange_rates;
    expect(rate).toEqual({
      exchange_rate_id: expect.any(String),
      currency_id: euro,
      currency_code: "EUR",
      effective_date: "2026-11-01",
      rate: expect.any(Number),
    });
    expect(
      (await call("GET", "/settings/currencies")).body.currencies.find(
        (currency: { currency_id: string }) => currency.currency_id === euro,
      ),
    ).toMatchObject({ exchange_rate: rate.rate, effective_date: "2026-11-01" });
    expect((await call("GET", `/settings/currencies/${euro}/exchangerates?from_date=15/10/2026`)).body).toEqual({
      code: 2,
      message: "Invalid value passed for from_date",
    });
  });
});
