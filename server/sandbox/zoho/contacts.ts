// Contacts (contacts.yml): create, list with Zoho's filters and sort columns, read, update, upsert, delete; with the
// organization's duplicate display name preference and the currency lock of a contact that has transactions.
import {
  envelope,
  matchesTextFilters,
  page,
  sortRecords,
  zohoError,
  zohoTimestamp,
  type BooksCall,
  type BooksRoutes,
} from "./api";
import type { BooksRecord, Organization } from "./store";
import { upsertTarget } from "./upsert";

/** A list row: no persons or addresses; e-mail, phone and names are the primary contact person's. */
function contactSummary(contact: BooksRecord): BooksRecord {
  const persons = (contact.contact_persons as BooksRecord[]) ?? [];
  const primary = persons.find((person) => person.is_primary_contact) ?? persons[0] ?? {};
  const { contact_persons: _persons, billing_address: _billing, shipping_address: _shipping, ...rest } = contact;
  return {
    ...rest,
    email: primary.email ?? "",
    phone: primary.phone ?? "",
    first_name: primary.first_name ?? "",
    last_name: primary.last_name ?? "",
  };
}

/** Whether invoices, credit notes or payments name the contact (the response's `has_transaction`). */
function hasTransactions(org: Organization, contactId: unknown): boolean {
  const names = (record: BooksRecord) => record.customer_id === contactId;
  return (
    [...org.invoices.values()].some(names) ||
    [...org.creditNotes.values()].some(names) ||
    [...org.payments.values()].some(names)
  );
}

const withTransactionFlag = (org: Organization, contact: BooksRecord): BooksRecord => ({
  ...contact,
  has_transaction: hasTransactions(org, contact.contact_id),
});

/**
 * Zoho's refusal of a display name another contact holds, when the organization has switched off "Allow duplicates
 * for customer and vendor display name" (on by default: zoho.com/us/books/kb/contacts/display-duplicate-contact-name.html).
 * Code 3062 and the wording are Zoho's as public integration logs quote a production answer (HTTP 400, `The customer
 * "FORGE BREU-HOUS" already exists. Please specify a different name.`; other clients match `"code":3062` and
 * `customer "…" already exists`). "vendor" for vendors, and names compared ignoring case, are UNVERIFIED.
 */
function duplicateNameRefusal(
  org: Organization,
  name: string,
  contactType: unknown,
  exceptId?: unknown,
): Response | undefined {
  if (org.preferences.allowDuplicateDisplayNames) return undefined;
  const key = name.trim().toLowerCase();
  const holder = [...org.contacts.values()].find(
    (contact) => contact.contact_id !== exceptId && String(contact.contact_name).trim().toLowerCase() === key,
  );
  if (!holder) return undefined;
  return zohoError(
    400,
    3062,
    `The ${contactType === "vendor" ? "vendor" : "customer"} "${name}" already exists. Please specify a different name.`,
  );
}

/**
 * A contact's currency cannot change once it has transactions (Zoho KB change-currency-associated-with-customer, whose
 * sentence this message is). The API's own code and wording are UNVERIFIED: code 2 as for Zoho's other invalid values.
 */
const CURRENCY_LOCKED =
  "You cannot change the currency associated with a customer or vendor if you have already created transactions for them.";

/** The contact a create or update leaves, or Zoho's refusal. */
function contactFields({ org, body, now }: BooksCall, existing?: BooksRecord): BooksRecord | Response {
  if (!existing && !body.contact_name) return zohoError(400, 4, "Contact name is required.");
  if (body.currency_id && !org.currencies.get(String(body.currency_id)))
    return zohoError(400, 1002, "Currency does not exist.");
  const currencyChanged = existing && body.currency_id && body.currency_id !== existing.currency_id;
  if (currencyChanged && hasTransactions(org, existing.contact_id)) return zohoError(400, 2, CURRENCY_LOCKED);
  if (typeof body.contact_name === "string" && body.contact_name !== existing?.contact_name) {
    const duplicate = duplicateNameRefusal(
      org,
      body.contact_name,
      body.contact_type ?? existing?.contact_type,
      existing?.contact_id,
    );
    if (duplicate) return duplicate;
  }
  const sent = body.contact_persons as BooksRecord[] | undefined;
  // Sending contact_persons replaces the list: a person left out is deleted (contacts.yml, update a contact).
  const persons =
    sent === undefined
      ? ((existing?.contact_persons as BooksRecord[] | undefined) ?? [])
      : sent.map((person) => ({ ...person, contact_person_id: person.contact_person_id ?? org.newId() }));
  const primary = persons.find((person) => person.is_primary_contact);
  const currency = org.currencies.get(
    String(body.currency_id ?? existing?.currency_id ?? org.baseCurrency.currency_id),
  )!;
  return {
    ...existing,
    ...body,
    contact_persons: persons,
    primary_contact_id: primary?.contact_person_id ?? "",
    currency_id: currency.currency_id,
    currency_code: currency.currency_code,
    last_modified_time: zohoTimestamp(now, org.details.timeZone),
  };
}

function createContact(call: BooksCall, status = 201): Response {
  const contact = contactFields(call);
  if (contact instanceof Response) return contact;
  const contactId = call.org.newId();
  const defaults = {
    contact_type: "customer",
    status: "active",
    outstanding_receivable_amount: 0,
    unused_credits_receivable_amount: 0,
  };
  const created = { ...defaults, ...contact, contact_id: contactId, created_time: contact.last_modified_time };
  call.org.contacts.set(contactId, created);
  return envelope(status, {
    code: 0,
    message: "The contact has been created",
    contact: withTransactionFlag(call.org, created),
  });
}

function updateContact(call: BooksCall): Response {
  const contact = call.org.contacts.get(call.id);
  if (!contact) return zohoError(404, 1002, "Contact does not exist.");
  const updated = contactFields(call, contact);
  if (updated instanceof Response) return updated;
  call.org.contacts.set(call.id, updated);
  return envelope(200, {
    code: 0,
    message: "Contact has been updated successfully",
    contact: withTransactionFlag(call.org, updated),
  });
}

/** PUT /contacts: update the contact whose unique custom field holds the value, or create it with X-Upsert. */
function upsertContact(call: BooksCall): Response {
  const target = upsertTarget(call, call.org.contacts.values(), "Contact does not exist.");
  if (target instanceof Response) return target;
  // contacts.yml documents only a 200 answer for this operation, a create included.
  if (!target) return createContact(call, 200);
  return updateContact({ ...call, id: String(target.contact_id) });
}

// contacts.yml's sort_column values.
const SORT_COLUMNS = [
  "contact_name",
  "first_name",
  "last_name",
  "email",
  "outstanding_receivable_amount",
  "created_time",
  "last_modified_time",
];

const ADDRESS_FIELDS = ["attention", "address", "street2", "city", "state", "zip", "country"];

/** GET /contacts with the filters contacts.yml documents (other `filter_by` values are not simulated). */
function listContacts({ org, params }: BooksCall): Response {
  const address = params.get("address")?.toLowerCase();
  const searchText = params.get("search_text")?.toLowerCase();
  const filterBy = params.get("filter_by");
  const rows = [...org.contacts.values()]
    .filter((contact) => {
      if (params.get("contact_type") && contact.contact_type !== params.get("contact_type")) return false;
      if (filterBy === "Status.Active" && contact.status !== "active") return false;
      if (filterBy === "Status.Inactive" && contact.status !== "inactive") return false;
      // "Search contacts by any of the address fields"; search_text: "by contact name or notes".
      const addresses = [contact.billing_address, contact.shipping_address] as (BooksRecord | undefined)[];
      const addressValues = addresses.flatMap((entry) =>
        ADDRESS_FIELDS.map((field) => String(entry?.[field] ?? "").toLowerCase()),
      );
      if (address && !addressValues.some((value) => value.includes(address))) return false;
      const searched = [contact.contact_name, contact.notes].map((value) => String(value ?? "").toLowerCase());
      if (searchText && !searched.some((value) => value.includes(searchText))) return false;
      return true;
    })
    .map(contactSummary)
    .filter((contact) =>
      matchesTextFilters(contact, params, [
        "contact_name",
        "company_name",
        "first_name",
        "last_name",
        "email",
        "phone",
      ]),
    );
  return envelope(
    200,
    page(sortRecords(rows, params, SORT_COLUMNS, "contact_name"), params, "contacts", "contact_name"),
  );
}

export const contactRoutes: BooksRoutes = {
  "GET /contacts": listContacts,
  "POST /contacts": createContact,
  "PUT /contacts": upsertContact,
  "GET /contacts/{contact_id}": ({ org, id }) => {
    const contact = org.contacts.get(id);
    return contact
      ? envelope(200, { code: 0, message: "success", contact: withTransactionFlag(org, contact) })
      : zohoError(404, 1002, "Contact does not exist.");
  },
  "PUT /contacts/{contact_id}": updateContact,
  "DELETE /contacts/{contact_id}": ({ org, id }) => {
    if (!org.contacts.delete(id)) return zohoError(404, 1002, "Contact does not exist.");
    return envelope(200, { code: 0, message: "The contact has been deleted." });
  },
};
