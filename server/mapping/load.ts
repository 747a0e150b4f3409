// "Load mapping data" (SPEC §4.1): reference data from both sides, and which Splynx entries the documents use.
import type { ReferenceInput } from "@/db/queries/mapping";
import type { SplynxClient } from "@/server/splynx/client";
import type { ResourceName, SplynxRecord } from "@/server/splynx/records";
import type { ZohoBooksClient } from "@/server/zoho/books";

async function allOf<R extends ResourceName>(splynx: SplynxClient, resource: R): Promise<SplynxRecord<R>[]> {
  const records: SplynxRecord<R>[] = [];
  for await (const page of splynx.pages(resource)) records.push(...page.records);
  return records;
}

/** The categories, taxes and payment methods Splynx's documents refer to, read page by page. */
async function usedInSplynx(splynx: SplynxClient) {
  const used = { categories: new Set<string>(), taxes: new Set<string>(), methods: new Set<string>() };
  for await (const page of splynx.pages("invoices", { filter: { status: ["!=", "deleted"] } })) {
    for (const item of page.records.flatMap((invoice) => invoice.items)) {
      if (item.categoryIdForTransaction) used.categories.add(String(item.categoryIdForTransaction));
      if (item.tax_id) used.taxes.add(String(item.tax_id));
    }
  }
  for await (const page of splynx.pages("creditNotes"))
    for (const item of page.records.flatMap((note) => note.items)) if (item.tax_id) used.taxes.add(String(item.tax_id));
  for await (const page of splynx.pages("payments"))
    for (const payment of page.records) used.methods.add(String(payment.payment_type));
  return used;
}

export async function loadReferenceData(sources: {
  splynx: SplynxClient;
  books: ZohoBooksClient;
}): Promise<ReferenceInput[]> {
  const { splynx, books } = sources;
  const [items, accounts, taxes, currencies] = [
    await books.items(),
    await books.chartOfAccounts(),
    await books.taxes(),
    await books.currencies(),
  ];
  const [categories, methods, splynxTaxes, partners, used] = await Promise.all([
    allOf(splynx, "transactionCategories"),
    allOf(splynx, "paymentMethods"),
    allOf(splynx, "taxes"),
    allOf(splynx, "partners"),
    usedInSplynx(splynx),
  ]);
  return [
    ...items.map((item) => ({
      kind: "zoho_item" as const,
      externalId: String(item.item_id),
      name: String(item.name),
      details: { active: item.status !== "inactive" },
    })),
    ...accounts.map((account) => ({
      kind: "zoho_account" as const,
      externalId: String(account.account_id),
      name: String(account.account_name),
      details: { accountType: String(account.account_type), active: account.is_active !== false },
    })),
    ...taxes.map((tax) => ({
      kind: "zoho_tax" as const,
      externalId: String(tax.tax_id),
      name: String(tax.tax_name),
      details: { percentage: String(tax.tax_percentage ?? 0), taxType: String(tax.tax_type ?? "tax") },
    })),
    ...currencies.map((currency) => ({
      kind: "zoho_currency" as const,
      externalId: String(currency.currency_id),
      name: String(currency.currency_code),
      details: { currencyCode: String(currency.currency_code) },
    })),
    ...categories.map((category) => ({
      kind: "splynx_category" as const,
      externalId: String(category.id),
      name: category.name,
      details: { used: used.categories.has(String(category.id)) },
    })),
    ...methods.map((method) => ({
      kind: "splynx_payment_method" as const,
      externalId: String(method.id),
      name: method.name,
      details: { active: method.is_active, used: used.methods.has(String(method.id)) },
    })),
    ...splynxTaxes.map((tax) => ({
      kind: "splynx_tax" as const,
      externalId: String(tax.id),
      name: tax.name,
      details: { percentage: tax.rate, used: used.taxes.has(String(tax.id)) },
    })),
    ...partners.map((partner) => ({
      kind: "splynx_partner" as const,
      externalId: String(partner.id),
      name: partner.name,
      details: {},
    })),
  ];
}
