import { describe, expect, it } from "vitest";
import { booksSession, FREE_ORG, ORG } from "./testing/books-session";

const person = (email: string) => ({ first_name: "Ann", email, is_primary_contact: true });

describe("Zoho contacts: the duplicate display name preference", () => {
  it("lets two contacts share a display name by default, as Zoho's default does", async () => {
    const { call } = await booksSession();
    expect((await call("POST", "/contacts", { contact_name: "Ann Lee" })).status).toBe(201);
    expect((await call("POST", "/contacts", { contact_name: "Ann Lee" })).status).toBe(201);
  });

  it("refuses a create with a name another contact holds when the organization switched duplicates off", async () => {
    const { zoho, call } = await booksSession();
    await call("POST", "/contacts", { contact_name: "Ann Lee" });
    zoho.setPreferences(ORG, { allowDuplicateDisplayNames: false });
    const refused = await call("POST", "/contacts", {
      contact_name: "Ann Lee",
      contact_persons: [person("ann@example.net")],
    });
    expect(refused).toEqual({
      status: 400,
      body: { code: 3062, message: 'The customer "Ann Lee" already exists. Please specify a different name.' },
    });
    expect((await call("POST", "/contacts", { contact_name: "Ann Lee (2)" })).status).toBe(201);
    expect((await call("POST", "/contacts", { contact_name: "Ann Lee" }, { org: FREE_ORG })).status).toBe(201);
  });

  it("refuses a rename to a taken name, on PUT by id and on PUT by unique custom field, but not an unchanged name", async () => {
    const { call } = await booksSession({ preferences: { allowDuplicateDisplayNames: false } });
    await call("POST", "/contacts", { contact_name: "Ann Lee" });
    const bob = (
      await call("POST", "/contacts", {
        contact_name: "Bob Roe",
        custom_fields: [{ api_name: "cf_splynx_id", value: "7" }],
      })
    ).body.contact;
    const refusal = {
      status: 400,
      body: { code: 3062, message: 'The customer "Ann Lee" already exists. Please specify a different name.' },
    };
    expect(await call("PUT", `/contacts/${bob.contact_id}`, { contact_name: "Ann Lee" })).toEqual(refusal);
    const byField = { "X-Unique-Identifier-Key": "cf_splynx_id", "X-Unique-Identifier-Value": "7" };
    expect(await call("PUT", "/contacts", { contact_name: "Ann Lee" }, { headers: byField })).toEqual(refusal);
    const upserted = {
      "X-Unique-Identifier-Key": "cf_splynx_id",
      "X-Unique-Identifier-Value": "8",
      "X-Upsert": "true",
    };
    expect(await call("PUT", "/contacts", { contact_name: "Ann Lee" }, { headers: upserted })).toEqual(refusal);
    expect(
      (await call("PUT", `/contacts/${bob.contact_id}`, { contact_name: "Bob Roe", notes: "unchanged name" })).status,
    ).toBe(200);
    expect(
      (await call("PUT", `/contacts/${bob.contact_id}`, { contact_name: "Robert Roe" })).body.contact.contact_name,
    ).toBe("Robert Roe");
  });
});

describe("Zoho contacts: the currency of a contact with transactions", () => {
  it("refuses a different currency once an invoice names the contact, and says has_transaction", async () => {
    const { zoho, call } = await booksSession();
    const org = zoho.store.organizations.get(ORG)!;
    const euro = [...org.currencies.values()].find((currency) => currency.currency_code === "EUR")!.currency_id;
    const [item] = [...org.items.values()];
    const contact = (await call("POST", "/contacts", { contact_name: "Ann Lee" })).body.contact;
    expect(contact.has_transaction).toBe(false);
    const moved = await call("PUT", `/contacts/${contact.contact_id}`, { contact_name: "Ann Lee", currency_id: euro });
    expect(moved.body.contact).toMatchObject({ currency_code: "EUR", has_transaction: false });
    await call("POST", "/invoices", {
      customer_id: contact.contact_id,
      exchange_rate: 0.85,
      line_items: [{ item_id: item!.item_id, rate: 10, quantity: 1 }],
    });
    const base = org.baseCurrency.currency_id;
    expect(
      await call("PUT", `/contacts/${contact.contact_id}`, { contact_name: "Ann Lee", currency_id: base }),
    ).toEqual({
      status: 400,
      body: {
        code: 2,
        message:
          "You cannot change the currency associated with a customer or vendor if you have already created transactions for them.",
      },
    });
    const same = await call("PUT", `/contacts/${contact.contact_id}`, {
      contact_name: "Ann Lee",
      currency_id: euro,
      notes: "same currency",
    });
    expect(same.body.contact).toMatchObject({ currency_code: "EUR", notes: "same currency", has_transaction: true });
    expect((await call("GET", `/contacts/${contact.contact_id}`)).body.contact.has_transaction).toBe(true);
  });
});

describe("Zoho contacts: field limits from contacts.yml", () => {
  it("refuses a display name over 200 characters, a person's e-mail over 100 or not one address", async () => {
    const { call } = await booksSession();
    const at = (local: string) => `${local}@example.net`;
    expect((await call("POST", "/contacts", { contact_name: "n".repeat(200) })).status).toBe(201);
    expect(await call("POST", "/contacts", { contact_name: "n".repeat(201) })).toEqual({
      status: 400,
      body: { code: 2, message: "Invalid value passed for contact_name" },
    });
    expect(
      (await call("POST", "/contacts", { contact_name: "A", contact_persons: [person(at("e".repeat(88)))] })).status,
    ).toBe(201);
    const tooLong = await call("POST", "/contacts", {
      contact_name: "B",
      contact_persons: [person(at("e".repeat(89)))],
    });
    expect(tooLong).toEqual({ status: 400, body: { code: 2, message: "Invalid value passed for email" } });
    for (const email of [
      "ann@example.net, bob@example.net",
      "ann@example.net;bob@example.net",
      "ann lee@example.net",
      "ann@",
      "Ann <ann@example.net>",
    ]) {
      expect(await call("POST", "/contacts", { contact_name: "C", contact_persons: [person(email)] })).toEqual({
        status: 400,
        body: { code: 2, message: "Invalid value passed for email" },
      });
    }
    expect((await call("POST", "/contacts", { contact_name: "D", contact_persons: [person("")] })).status).toBe(201);
    expect((await call("POST", "/contacts", { contact_name: "E", company_name: "c".repeat(201) })).body).toEqual({
      code: 2,
      message: "Invalid value passed for company_name",
    });
  });
});

describe("Zoho contacts: listing", () => {
  it("filters by name and e-mail exactly, by prefix and by substring, ignoring case", async () => {
    const { call } = await booksSession({ contacts: [] });
    await call("POST", "/contacts", { contact_name: "Ann Lee", contact_persons: [person("ann@lee.example")] });
    await call("POST", "/contacts", { contact_name: "Ann Leeson", contact_persons: [person("ann@leeson.example")] });
    await call("POST", "/contacts", { contact_name: "Bob Annan", contact_persons: [person("bob@annan.example")] });
    const names = async (query: string) =>
      (await call("GET", `/contacts?${query}`)).body.contacts.map(
        (contact: { contact_name: string }) => contact.contact_name,
      );
    expect(await names("contact_name=ann%20lee")).toEqual(["Ann Lee"]);
    expect(await names("contact_name_startswith=Ann%20Lee")).toEqual(["Ann Lee", "Ann Leeson"]);
    expect(await names("contact_name_contains=ann")).toEqual(["Ann Lee", "Ann Leeson", "Bob Annan"]);
    expect(await names("email=ANN@LEE.EXAMPLE")).toEqual(["Ann Lee"]);
    expect(await names("email_startswith=ann@")).toEqual(["Ann Lee", "Ann Leeson"]);
    expect(await names("email_contains=annan")).toEqual(["Bob Annan"]);
  });

  it("refuses a contact_name filter (or a variant) over its documented 100 characters", async () => {
    const { call } = await booksSession();
    expect((await call("GET", `/contacts?contact_name=${"n".repeat(100)}`)).body.contacts).toEqual([]);
    expect(await call("GET", `/contacts?contact_name=${"n".repeat(101)}`)).toEqual({
      status: 400,
      body: { code: 2, message: "Invalid value passed for contact_name" },
    });
    expect((await call("GET", `/contacts?contact_name_startswith=${"n".repeat(101)}`)).body).toEqual({
      code: 2,
      message: "Invalid value passed for contact_name_startswith",
    });
    expect((await call("GET", `/contacts?email=${"e".repeat(101)}`)).body).toEqual({
      code: 2,
      message: "Invalid value passed for email",
    });
  });

  it("sorts by last_modified_time either way, with Zoho's timestamps in the organization's time zone", async () => {
    let clock = Date.UTC(2026, 6, 1, 9);
    const { call } = await booksSession({ contacts: [], now: () => clock });
    for (const name of ["Carol", "Ann", "Bob"]) {
      await call("POST", "/contacts", { contact_name: name });
      clock += 60_000;
    }
    const carol = (await call("GET", "/contacts?contact_name=Carol")).body.contacts[0];
    // Europe/London in July is UTC+1.
    expect(carol).toMatchObject({
      created_time: "2026-07-01T10:00:00+0100",
      last_modified_time: "2026-07-01T10:00:00+0100",
    });
    await call("PUT", `/contacts/${carol.contact_id}`, { contact_name: "Carol", notes: "touched" });
    const order = async (query: string) =>
      (await call("GET", `/contacts?${query}`)).body.contacts.map(
        (contact: { contact_name: string }) => contact.contact_name,
      );
    expect(await order("")).toEqual(["Ann", "Bob", "Carol"]);
    expect(await order("sort_column=last_modified_time")).toEqual(["Ann", "Bob", "Carol"]);
    expect(await order("sort_column=last_modified_time&sort_order=D")).toEqual(["Carol", "Bob", "Ann"]);
    expect(await order("sort_column=created_time&sort_order=D")).toEqual(["Bob", "Ann", "Carol"]);
    const page = (await call("GET", "/contacts?sort_column=last_modified_time&sort_order=D")).body.page_context;
    expect(page).toMatchObject({ sort_column: "last_modified_time", sort_order: "D" });
    // contacts.yml documents no last_modified_time filter (invoices.yml does): the parameter narrows nothing.
    expect(await order("last_modified_time=2026-07-01T10:02:30%2B0100")).toEqual(["Ann", "Bob", "Carol"]);
  });
});
