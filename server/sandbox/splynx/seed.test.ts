import { describe, expect, it } from "vitest";
import { sandboxZoho } from "../index";
import { seedStore, splynxTotal } from "./seed";
import { createStore, type WireRecord } from "./store";

function seeded(seed = 20261101) {
  const store = createStore();
  seedStore(store, { seed, customers: 250, invoices: 1500 });
  return store;
}

type Item = { price: string; quantity: number; tax: string; tax_id: number };

describe("the Splynx sandbox seed", () => {
  const store = seeded();
  const invoices = store.invoices.all();
  const items = invoices.flatMap((invoice) => invoice.items as Item[]);

  it("is the same for the same seed", () => {
    expect(JSON.stringify(seeded().invoices.all())).toBe(JSON.stringify(invoices));
    expect(JSON.stringify(seeded(7).invoices.all())).not.toBe(JSON.stringify(invoices));
  });

  it("covers what real ISPs bill: several tax rates and a tax group, fractional-cent prices, discount lines", () => {
    expect(new Set(items.map((item) => item.tax_id))).toEqual(new Set([1, 2, 3, 4, 5]));
    expect(store.taxes.get(5)).toMatchObject({ type: "group", rate: 25 });
    expect(items.filter((item) => item.tax_id === 5).every((item) => item.tax === "25.0000")).toBe(true);
    expect(items.some((item) => !/\.\d\d00$/.test(item.price))).toBe(true);
    expect(items.some((item) => item.price.startsWith("-"))).toBe(true);
  });

  it("states each invoice's total as Splynx's arithmetic makes it", () => {
    for (const invoice of invoices) expect(invoice.total).toBe(Number(splynxTotal(invoice.items as Item[])));
  });

  it("has deleted invoices and credit notes against invoices", () => {
    expect(invoices.some((invoice) => invoice.status === "deleted")).toBe(true);
    const credited = store.invoiceRelations.all().filter((relation: WireRecord) => relation.type === "credit_note");
    expect(credited.length).toBeGreaterThan(10);
    for (const relation of credited) expect(store.invoices.get(Number(relation.invoice_id))).toBeDefined();
  });

  it("pairs with a sandbox Zoho that bills one of those customers in euros", () => {
    const zoho = sandboxZoho("a-tenant");
    const [org] = zoho.store.organizations.values();
    const euros = [...org!.contacts.values()].filter((contact) => contact.currency_code === "EUR");
    expect(euros).toHaveLength(1);
    expect(store.customers.all().find((customer) => customer.name === euros[0]!.contact_name)?.partner_id).toBe("3");
  });
});
