// Customers, Splynx → Zoho contacts (SPEC §6.1): eligibility, the contact Zoho should hold, and one page of them synced.
import type { Customer } from "@/server/splynx/records";
import type { ZohoRecord } from "@/server/zoho/books";
import type { Settings } from "./settings";

export type Eligibility = { eligible: true } | { eligible: false; rule: string };

export function customerEligibility(customer: Customer, settings: Settings, alreadyLinked: boolean): Eligibility {
  if (settings.general.ignoredPartnerIds.includes(String(customer.partner_id))) return { eligible: false, rule: `Partner ${customer.partner_id} is in the partners ignore list.` };
  // Customers already synced or paired keep syncing after they become inactive.
  if (settings.customers.ignoreInactive && customer.status === "disabled" && !alreadyLinked) return { eligible: false, rule: "Inactive customer, and \"ignore inactive customers\" is on." };
  return { eligible: true };
}

/** The display name from the pattern ({id}, {login}, {name}, {email}); Zoho takes at most 200 characters. */
export function contactName(customer: Customer, pattern: string): string {
  const values: Record<string, string> = { id: String(customer.id), login: customer.login, name: customer.name, email: customer.email };
  return pattern.replace(/\{(id|login|name|email)\}/g, (_, key: string) => values[key] ?? "").trim().slice(0, 200) || `Customer ${customer.id}`;
}

/** The contact as Zoho should hold it; its primary contact person carries the e-mail and phone. */
export function contactFor(customer: Customer, settings: Settings, currencyId: string | null): ZohoRecord {
  const [first, ...rest] = customer.name.trim().split(/\s+/);
  const company = customer.category === "company";
  return {
    contact_name: contactName(customer, settings.customers.namePattern),
    company_name: company ? customer.name.slice(0, 200) : "",
    contact_type: "customer",
    customer_sub_type: company ? "business" : "individual",
    billing_address: { address: customer.street_1.slice(0, 500), city: customer.city, zip: customer.zip_code.slice(0, 50) },
    contact_persons: [{ first_name: (first || customer.name).slice(0, 100), last_name: rest.join(" ").slice(0, 100), email: (customer.email || customer.billing_email).slice(0, 100), phone: customer.phone.slice(0, 50), is_primary_contact: true }],
    ...(currencyId ? { currency_id: currencyId } : {}),
  };
}

/** For "check data before export": keeps the contact persons Zoho has besides the primary, which is updated in place. */
export function mergeContactPersons(payload: ZohoRecord, existing: ZohoRecord): ZohoRecord {
  const persons = (existing.contact_persons as ZohoRecord[] | undefined) ?? [];
  const primary = persons.find((person) => person.is_primary_contact);
  const [wanted] = payload.contact_persons as ZohoRecord[];
  return { ...payload, contact_persons: [{ ...wanted, ...(primary ? { contact_person_id: primary.contact_person_id } : {}) }, ...persons.filter((person) => !person.is_primary_contact).map((person) => ({ contact_person_id: person.contact_person_id, first_name: person.first_name, last_name: person.last_name, email: person.email, phone: person.phone }))] };
}
