import { describe, expect, it } from "vitest";
import { booksSession, ORG } from "./testing/books-session";

async function customerAndItem(now?: () => number) {
  const session = await booksSession({ contacts: [{ name: "Ann Lee", email: "ann@example.net" }], now });
  const org = session.zoho.store.organizations.get(ORG)!;
  const [contact] = [...org.contacts.values()];
  const [item] = [...org.items.values()];
  const invoice = (fields: Record<string, unknown> = {}) => ({
    customer_id: contact!.contact_id,
    line_items: [{ item_id: item!.item_id, rate: 10, quantity: 1 }],
    ...fields,
  });
  return { ...session, invoice };
}

describe("Zoho invoices", () => {
  it("takes date and due_date only as yyyy-mm-dd calendar dates", async () => {
    const { call, invoice } = await customerAndItem();
    expect(await call("POST", "/invoices", invoice({ date: "11/02/2026" }))).toEqual({
      status: 400,
      body: { code: 2, message: "Invalid value passed for date" },
    });
    expect(await call("POST", "/invoices", invoice({ due_date: "2026-11-31" }))).toEqual({
      status: 400,
      body: { code: 2, message: "Invalid value passed for due_date" },
    });
    expect(
      (await call("POST", "/invoices", invoice({ date: "2026-11-02", due_date: "2026-11-30" }))).body.invoice,
    ).toMatchObject({ date: "2026-11-02", due_date: "2026-11-30" });
  });

  it("lists invoices modified after a Zoho timestamp, whose + must be sent as %2B", async () => {
    let clock = Date.UTC(2026, 6, 1, 9);
    const { call, invoice } = await customerAndItem(() => clock);
    const first = (await call("POST", "/invoices", invoice())).body.invoice;
    // Less than the access token's hour.
    clock += 1_800_000;
    const second = (await call("POST", "/invoices", invoice())).body.invoice;
    expect([first.last_modified_time, second.last_modified_time]).toEqual([
      "2026-07-01T10:00:00+0100",
      "2026-07-01T10:30:00+0100",
    ]);
    const modifiedAfter = async (time: string) =>
      (await call("GET", `/invoices?last_modified_time=${time}`)).body.invoices?.map(
        (listed: { invoice_id: string }) => listed.invoice_id,
      );
    expect(await modifiedAfter("2026-07-01T10:15:00%2B0100")).toEqual([second.invoice_id]);
    // The same instant written in UTC.
    expect(await modifiedAfter("2026-07-01T09:15:00%2B0000")).toEqual([second.invoice_id]);
    expect(await modifiedAfter("2026-07-01T08:15:00-0100")).toEqual([second.invoice_id]);
    expect(await call("GET", "/invoices?last_modified_time=2026-07-01T10:15:00+0100")).toEqual({
      status: 400,
      body: { code: 2, message: "Invalid value passed for last_modified_time" },
    });
  });
});
