// Organizations (organizations.yml): the list a user's token sees and one organization's details, with only the fields
// the file documents. Neither answer names the organization's tax rounding or rounding-off preferences.
import { envelope, zohoError, type BooksRoutes } from "./api";
import { PLAN_LIMITS, type BooksRecord, type Organization } from "./store";

/** One row of GET /organizations (list-organizations-response). */
export function organizationSummary(org: Organization): BooksRecord {
  const base = org.baseCurrency;
  return {
    organization_id: org.id,
    name: org.details.name,
    contact_name: "Finance Team",
    email: "finance@sandbox.example",
    is_default_org: false,
    plan_type: Object.keys(PLAN_LIMITS).indexOf(org.details.plan),
    plan_name: org.details.plan.toUpperCase(),
    plan_period: "yearly",
    language_code: "en",
    fiscal_year_start_month: 0,
    account_created_date: "2024-01-15",
    time_zone: org.details.timeZone,
    is_org_active: true,
    currency_id: base.currency_id,
    currency_code: base.currency_code,
    currency_symbol: base.currency_symbol,
    currency_format: "###,##0.00",
    price_precision: 2,
    tax_group_enabled: true,
  };
}

/** GET /organizations/{organization_id} (get-an-organization-response): the details, none of them a tax preference. */
function organizationDetails(org: Organization): BooksRecord {
  const base = org.baseCurrency;
  return {
    organization_id: org.id,
    name: org.details.name,
    is_default_org: false,
    account_created_date: "2024-01-15",
    time_zone: org.details.timeZone,
    language_code: "en",
    date_format: "dd MMM yyyy",
    field_separator: " ",
    fiscal_year_start_month: 0,
    contact_name: "Finance Team",
    industry_type: "Telecommunications",
    industry_size: "",
    company_id_label: "Company ID",
    company_id_value: "",
    tax_id_label: "VAT Registration Number",
    tax_id_value: "",
    currency_id: base.currency_id,
    currency_code: base.currency_code,
    currency_symbol: base.currency_symbol,
    currency_format: "###,##0.00",
    price_precision: 2,
    org_address: "",
    remit_to_address: "",
    phone: "",
    fax: "",
    website: "",
    email: "finance@sandbox.example",
    is_org_active: true,
    address: {
      street_address1: "1 Exchange Square",
      street_address2: "",
      city: "London",
      state: "",
      country: "U.K.",
      zip: "EC2A 2JN",
    },
    custom_fields: [],
  };
}

export const organizationRoutes: BooksRoutes = {
  // The organization in the path must be the one of `organization_id`; Zoho's answer to a mismatch is UNVERIFIED, and a
  // foreign organization surfaces as 57 elsewhere in the simulator.
  "GET /organizations/{organization_id}": ({ org, id }) =>
    id === org.id
      ? envelope(200, { code: 0, message: "success", organization: organizationDetails(org) })
      : zohoError(401, 57, "You are not authorized to perform this operation"),
};
