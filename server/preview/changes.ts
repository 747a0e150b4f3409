// What an update would change against what Zoho holds, read from Zoho's list rows (a list page costs one call per 200).
import type { SyncEntity } from "@/db/schema";
import { compare } from "@/server/money";
import type { ZohoRecord } from "@/server/zoho/books";
import type { SyncContext } from "@/server/sync/entity";

type Compared = { label: string; wanted: (payload: ZohoRecord) => unknown; held: string; money?: boolean };

const primaryPerson = (payload: ZohoRecord) => ((payload.contact_persons as ZohoRecord[] | undefined) ?? [])[0] ?? {};
const field = (name: string, label = name.replace(/_/g, " ")): Compared => ({
  label,
  wanted: (payload) => payload[name],
  held: name,
});
const documentFields = (numberField: string): Compared[] => [
  field(numberField, "number"),
  field("customer_id", "customer"),
  field("date"),
  field("reference_number", "reference"),
  { label: "total", wanted: (payload) => payload.splynx_total, held: "total", money: true },
];

/** The fields Zoho's list rows carry for each entity, and where the payload has them. */
const COMPARED: Record<
  string,
  { path: string; key: string; idField: string; numberField?: string; fields: Compared[] }
> = {
  customer: {
    path: "/contacts",
    key: "contacts",
    idField: "contact_id",
    fields: [
      field("contact_name", "name"),
      field("company_name", "company name"),
      { label: "e-mail", wanted: (payload) => primaryPerson(payload).email, held: "email" },
      { label: "phone", wanted: (payload) => primaryPerson(payload).phone, held: "phone" },
    ],
  },
  invoice: {
    path: "/invoices",
    key: "invoices",
    idField: "invoice_id",
    numberField: "invoice_number",
    fields: [...documentFields("invoice_number"), field("due_date", "due date")],
  },
  credit_note: {
    path: "/creditnotes",
    key: "creditnotes",
    idField: "creditnote_id",
    numberField: "creditnote_number",
    fields: documentFields("creditnote_number"),
  },
  payment: {
    path: "/customerpayments",
    key: "customerpayments",
    idField: "payment_id",
    fields: [
      field("customer_id", "customer"),
      { label: "amount", wanted: (payload) => payload.amount, held: "amount", money: true },
      field("date"),
      field("reference_number", "reference"),
      field("payment_mode", "payment mode"),
    ],
  },
};

const same = (wanted: unknown, held: unknown, money: boolean) =>
  money ? compare(String(wanted ?? "0"), String(held ?? "0")) === 0 : String(wanted ?? "") === String(held ?? "");

/** Zoho's records of each entity, listed once per preview and only when an update needs them. */
export class ZohoHoldings {
  private readonly listed = new Map<SyncEntity, Promise<Map<string, ZohoRecord>>>();
  private readonly numbers = new Map<SyncEntity, Map<string, ZohoRecord>>();

  constructor(private readonly context: SyncContext) {}

  private rows(entity: SyncEntity) {
    const known = this.listed.get(entity);
    if (known) return known;
    const { path, key, idField } = COMPARED[entity]!;
    const query = entity === "customer" ? { contact_type: "customer" } : {};
    const listing = this.context.books
      .all(path, key, query)
      .then((rows) => new Map(rows.map((row) => [String(row[idField]), row])));
    this.listed.set(entity, listing);
    return listing;
  }

  /** The document Zoho holds with this number (invoices, credit notes), from the same listing. */
  async numbered(entity: SyncEntity, number: string): Promise<ZohoRecord | undefined> {
    const numberField = COMPARED[entity]?.numberField;
    if (!numberField) return undefined;
    let index = this.numbers.get(entity);
    if (!index) {
      const rows = [...(await this.rows(entity)).values()];
      index = new Map(rows.map((row) => [String(row[numberField]), row]));
      this.numbers.set(entity, index);
    }
    return index.get(number);
  }

  /** "name: Ann Lee → Ann Lee-Smith" for each listed field that would change; empty when only unlisted ones would. */
  async changes(entity: SyncEntity, zohoId: string, payload: ZohoRecord): Promise<string[] | null> {
    const compared = COMPARED[entity];
    if (!compared) return [];
    const held = (await this.rows(entity)).get(zohoId);
    if (!held) return null;
    return compared.fields
      .filter((spec) => spec.held in held && spec.wanted(payload) !== undefined)
      .filter((spec) => !same(spec.wanted(payload), held[spec.held], spec.money ?? false))
      .map(
        (spec) =>
          `${spec.label}: ${String(held[spec.held] ?? "") || "(empty)"} → ${String(spec.wanted(payload)) || "(empty)"}`,
      );
  }
}
