// Customers, Splynx → Zoho contacts (SPEC §6.1): eligibility, the contact Zoho should hold, and how to find it again.
import { contactMatchesAmong, type ContactMatch, unheldContactsMatching } from "@/db/queries/pairing";
import type { Customer } from "@/server/splynx/records";
import type { ZohoBooksClient, ZohoRecord } from "@/server/zoho/books";
import { refreshContactIndex } from "../contact-index";
import type { Eligibility, EntityAdapter, NaturalKey, SyncContext } from "../entity";
import type { Settings } from "../settings";

export function customerEligibility(customer: Customer, settings: Settings, alreadyLinked: boolean): Eligibility {
  if (settings.general.ignoredPartnerIds.includes(String(customer.partner_id)))
    return { eligible: false, rule: `Partner ${customer.partner_id} is in the partners ignore list.` };
  // Customers already synced or paired keep syncing after they become inactive.
  if (settings.customers.ignoreInactive && customer.status === "disabled" && !alreadyLinked)
    return { eligible: false, rule: 'Inactive customer, and "ignore inactive customers" is on.' };
  return { eligible: true };
}

/** The display name from the pattern ({id}, {login}, {name}, {email}); Zoho takes at most 200 characters. */
export function contactName(customer: Customer, pattern: string): string {
  const values: Record<string, string> = {
    id: String(customer.id),
    login: customer.login,
    name: customer.name,
    email: customer.email,
  };
  return (
    pattern
      .replace(/\{(id|login|name|email)\}/g, (_, key: string) => values[key] ?? "")
      .trim()
      .slice(0, 200) || `Customer ${customer.id}`
  );
}

/** What a customer is found by in Zoho: its contact's name and the one e-mail address Zoho gets. */
export function customerKey(customer: Customer, settings: Settings): NaturalKey {
  const { email } = zohoEmail(customer.email || customer.billing_email);
  return { name: contactName(customer, settings.customers.namePattern), email };
}

const EMAIL = /^[^\s@,;<>()[\]\\"]+@[^\s@,;<>()[\]\\"]+\.[^\s@,;<>()[\]\\".]{2,}$/;

/** Splynx allows lists and typos in its e-mail field; Zoho takes one valid address of at most 100 characters. */
export function zohoEmail(raw: string): { email: string; note: string | null } {
  const trimmed = raw.trim();
  if (trimmed === "" || (EMAIL.test(trimmed) && trimmed.length <= 100)) return { email: trimmed, note: null };
  const first = trimmed.split(/[\s,;]+/).find((part) => EMAIL.test(part) && part.length <= 100) ?? "";
  return {
    email: first,
    note: first
      ? `E-mail "${trimmed}" is not one address Zoho accepts; sent ${first}.`
      : `E-mail "${trimmed}" is not an address Zoho accepts; sent none.`,
  };
}

/** The contact as Zoho should hold it; its primary contact person carries the e-mail and phone. */
export function contactFor(
  customer: Customer,
  settings: Settings,
  currencyId: string | null,
): { contact: ZohoRecord; note: string | null } {
  const [first, ...rest] = customer.name.trim().split(/\s+/);
  const company = customer.category === "company";
  const { email, note } = zohoEmail(customer.email || customer.billing_email);
  const contact = {
    contact_name: contactName(customer, settings.customers.namePattern),
    company_name: company ? customer.name.slice(0, 200) : "",
    contact_type: "customer",
    customer_sub_type: company ? "business" : "individual",
    billing_address: {
      address: customer.street_1.slice(0, 500),
      city: customer.city,
      zip: customer.zip_code.slice(0, 50),
    },
    contact_persons: [
      {
        first_name: (first || customer.name).slice(0, 100),
        last_name: rest.join(" ").slice(0, 100),
        email,
        phone: customer.phone.slice(0, 50),
        is_primary_contact: true,
      },
    ],
    ...(currencyId ? { currency_id: currencyId } : {}),
  };
  return { contact, note };
}

/** Keeps the contact persons Zoho has besides the primary, which is updated in place. */
export function mergeContactPersons(payload: ZohoRecord, existing: ZohoRecord): ZohoRecord {
  const persons = (existing.contact_persons as ZohoRecord[] | undefined) ?? [];
  const primary = persons.find((person) => person.is_primary_contact);
  const [wanted] = payload.contact_persons as ZohoRecord[];
  const others = persons
    .filter((person) => !person.is_primary_contact)
    .map((person) => ({
      contact_person_id: person.contact_person_id,
      first_name: person.first_name,
      last_name: person.last_name,
      email: person.email,
      phone: person.phone,
    }));
  return {
    ...payload,
    contact_persons: [{ ...wanted, ...(primary ? { contact_person_id: primary.contact_person_id } : {}) }, ...others],
  };
}

// Zoho's contact_name filter takes at most 100 characters: longer names are searched by their start and compared whole.
const NAME_FILTER_MAX = 100;

async function contactsNamed(context: SyncContext, name: string): Promise<ZohoRecord[]> {
  const query =
    name.length > NAME_FILTER_MAX
      ? { contact_name_startswith: name.slice(0, NAME_FILTER_MAX) }
      : { contact_name: name };
  const found: ZohoRecord[] = [];
  for await (const page of context.books.customers(query))
    found.push(...page.filter((contact) => contact.contact_name === name));
  return found;
}

const sameEmail = (contact: ZohoRecord, email: string) =>
  String(contact.email ?? "").toLowerCase() === email.toLowerCase();

// The index is brought up to date once per step of a run (its pages share its Books client), and only when a first
// create needs it: each refresh reads again every contact changed in the overlap, this run's own included. A refresh
// that failed is tried again by the next record that needs it.
const refreshed = new WeakMap<ZohoBooksClient, Promise<void>>();
function refreshOnce(context: SyncContext): Promise<void> {
  const { books } = context;
  if (!refreshed.has(books))
    refreshed.set(
      books,
      refreshContactIndex(context).catch((error) => {
        refreshed.delete(books);
        throw error;
      }),
    );
  return refreshed.get(books)!;
}

/** What a customer is matched on among Zoho contacts: its e-mail, or its name without one (the database sets case aside). */
const matchOf = (key: NaturalKey): ContactMatch =>
  key.email ? { by: "email", value: key.email } : { by: "name", value: key.name ?? "" };
const matchText = (match: ContactMatch) => `${match.by}:${match.value}`;

/** The page's customers' matches, and those some cached contact has: asked once a page, not once a customer. */
type PageMatches = { asked: Map<string, ContactMatch>; cached: Promise<Set<string> | null> | null };
const pageMatches = new WeakMap<SyncContext, PageMatches>();

/** Of the page's matches, those the (refreshed) index has; null when the index could not say (each is asked alone). */
function cachedMatches(context: SyncContext, page: PageMatches): Promise<Set<string> | null> {
  page.cached ??= refreshOnce(context)
    .then(() => contactMatchesAmong(context.db, { tenantId: context.tenantId, matches: [...page.asked.values()] }))
    .then((found) => new Set(found.map(matchText)))
    .catch(() => null);
  return page.cached;
}

export const customersAdapter: EntityAdapter<"customers"> = {
  entity: "customer",
  resource: "customers",
  changes: { name: "last_update", precision: "datetime" },
  label: (customer) => customer.name,
  eligibility: (customer, context, linked) => customerEligibility(customer, context.settings, linked),
  prepare(customer, context) {
    const { contact, note } = contactFor(customer, context.settings, context.currencyId);
    return { payload: contact, key: customerKey(customer, context.settings), notes: note ? [note] : [] };
  },
  async findSent(context, keys: NaturalKey[]) {
    const ids = new Set<string>();
    for (const name of new Set(keys.map((key) => key.name!))) {
      const emails = keys.filter((key) => key.name === name).map((key) => key.email ?? "");
      for (const contact of await contactsNamed(context, name))
        if (emails.some((email) => sameEmail(contact, email))) ids.add(String(contact.contact_id));
    }
    return { ids: [...ids], strong: keys.every((key) => Boolean(key.email)) };
  },
  async beforePage(context, customers) {
    const matches = customers.map((customer) => matchOf(customerKey(customer, context.settings)));
    pageMatches.set(context, { asked: new Map(matches.map((match) => [matchText(match), match])), cached: null });
  },
  async findExisting(context, key) {
    const found = (ids: string[]) => ({
      ids,
      strong: Boolean(key.email),
      reason: key.email ? "same e-mail" : "same name",
    });
    const page = pageMatches.get(context);
    const match = matchText(matchOf(key));
    const cached = page?.asked.has(match) ? await cachedMatches(context, page) : null;
    // No cached contact shares its e-mail (or its name): nothing to find, and nothing more to ask.
    if (cached && !cached.has(match)) return found([]);
    await refreshOnce(context);
    const matches = await unheldContactsMatching(context.db, {
      tenantId: context.tenantId,
      organizationId: context.organizationId,
      email: key.email ?? "",
      name: key.name ?? "",
    });
    return found(matches.map((contact) => contact.contactId));
  },
  // A Zoho contact is matched by e-mail alone (by name without one): two customers sharing it may not pair with one.
  competesOn: (_customer, key) => [key.email ? `email:${key.email.toLowerCase()}` : `name:${key.name?.toLowerCase()}`],
  create: async (context, payload) => ({ zohoId: String((await context.books.createContact(payload)).contact_id) }),
  async update(context, zohoId, payload, adopting) {
    // Zoho refuses a currency change once a contact has transactions: the currency is only chosen at creation.
    const { currency_id: _currency, ...body } = payload;
    const keepOthers = adopting || context.settings.customers.checkDataBeforeExport;
    await context.books.updateContact(
      zohoId,
      keepOthers ? mergeContactPersons(body, await context.books.getContact(zohoId)) : body,
    );
  },
  hintFor: (message) =>
    /already exists/i.test(message)
      ? "Zoho refuses a second contact with this name: add {id} to the customer name pattern in Settings so every name is unique."
      : null,
};
