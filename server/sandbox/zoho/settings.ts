// The organization's settings and lookups the sync reads: currencies and their exchange rates, taxes and tax groups,
// items, chart of accounts, bank accounts.
import { envelope, invalidValue, matchesTextFilters, page, zohoError, type BooksCall, type BooksRoutes } from "./api";
import { today } from "./documents";
import { isZohoDate } from "./openapi";
import type { BooksRecord } from "./store";

/** GET /settings/taxgroups/{tax_group_id} (taxes.yml get-a-tax-group-response): the group and each of its taxes. */
function taxGroup({ org, id }: BooksCall): Response {
  const group = org.taxes.get(id);
  const members = org.taxGroups.get(id);
  if (!group || !members) return zohoError(404, 1002, "Tax group does not exist.");
  const taxes = members.map((memberId) => {
    const { tax_id, tax_name, tax_percentage, tax_type } = org.taxes.get(memberId)!;
    return { tax_id, tax_name, tax_percentage, tax_type };
  });
  return envelope(200, {
    code: 0,
    message: "success",
    tax_group: {
      tax_group_id: group.tax_id,
      tax_group_name: group.tax_name,
      tax_group_percentage: group.tax_percentage,
      taxes,
    },
  });
}

/**
 * GET /settings/currencies/{currency_id}/exchangerates (currency.yml). `from_date` "returns the exchange rate details
 * from the given date or from previous closest match in the absence of the exchange rate on the given date": the rates
 * effective on or after it, led by the closest earlier one when none is effective on that very date (reading of the
 * sentence; UNVERIFIED). `is_current_date=true` "returns the exchange rate only if available for current date".
 * The answer has no page_context (list-exchange-rates-response); its order is UNVERIFIED (oldest first here, by
 * `effective_date`, the only sort column the file allows).
 */
function exchangeRates({ org, id, params, now }: BooksCall): Response {
  const currency = org.currencies.get(id);
  if (!currency) return zohoError(404, 1002, "Currency does not exist.");
  const fromDate = params.get("from_date");
  if (fromDate && !isZohoDate(fromDate)) return invalidValue("from_date");
  let rates: BooksRecord[] = org.exchangeRates.get(id) ?? [];
  if (fromDate) {
    const onOrAfter = rates.filter((rate) => String(rate.effective_date) >= fromDate);
    const earlier = rates.filter((rate) => String(rate.effective_date) < fromDate).at(-1);
    rates = onOrAfter[0]?.effective_date === fromDate || !earlier ? onOrAfter : [earlier, ...onOrAfter];
  }
  if (params.get("is_current_date") === "true") rates = rates.filter((rate) => rate.effective_date === today(now));
  return envelope(200, { code: 0, message: "success", exchange_rates: rates });
}

export const settingsRoutes: BooksRoutes = {
  "GET /settings/currencies": ({ org, params }) => {
    const currencies = [...org.currencies.values()].filter(
      (currency) => params.get("filter_by") !== "Currencies.ExcludeBaseCurrency" || !currency.is_base_currency,
    );
    return envelope(200, page(currencies, params, "currencies", "currency_code"));
  },
  "GET /settings/currencies/{currency_id}/exchangerates": exchangeRates,
  "GET /settings/taxes": ({ org, params }) => envelope(200, page([...org.taxes.values()], params, "taxes", "tax_name")),
  "GET /settings/taxgroups/{tax_group_id}": taxGroup,
  "GET /items": ({ org, params }) =>
    envelope(
      200,
      page(
        [...org.items.values()].filter((item) => matchesTextFilters(item, params, ["name"])),
        params,
        "items",
        "name",
      ),
    ),
  "GET /chartofaccounts": ({ org, params }) =>
    envelope(200, page([...org.accounts.values()], params, "chartofaccounts", "account_name")),
  "GET /bankaccounts": ({ org, params }) => {
    const banks = [...org.accounts.values()].filter((account) => account.account_type === "bank");
    const listed = banks.map((account) => ({
      ...account,
      balance: 0,
      bcy_balance: 0,
      bank_name: "",
      is_primary_account: false,
      is_paypal_account: false,
    }));
    return envelope(200, page(listed, params, "bankaccounts", "account_name"));
  },
};
