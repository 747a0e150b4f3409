// The organization's settings and lookups the sync reads: currencies, taxes, items, chart of accounts, bank accounts.
import { envelope, matchesTextFilters, page, type BooksRoutes } from "./api";

export const settingsRoutes: BooksRoutes = {
  "GET /settings/currencies": ({ org, params }) => envelope(200, page([...org.currencies.values()], params, "currencies", "currency_code")),
  "GET /settings/taxes": ({ org, params }) => envelope(200, page([...org.taxes.values()], params, "taxes", "tax_name")),
  "GET /items": ({ org, params }) => envelope(200, page([...org.items.values()].filter((item) => matchesTextFilters(item, params, ["name"])), params, "items", "name")),
  "GET /chartofaccounts": ({ org, params }) => envelope(200, page([...org.accounts.values()], params, "chartofaccounts", "account_name")),
  "GET /bankaccounts": ({ org, params }) => {
    const banks = [...org.accounts.values()].filter((account) => account.account_type === "bank");
    const listed = banks.map((account) => ({ ...account, balance: 0, bcy_balance: 0, bank_name: "", is_primary_account: false, is_paypal_account: false }));
    return envelope(200, page(listed, params, "bankaccounts", "account_name"));
  },
};
