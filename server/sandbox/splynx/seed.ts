// Deterministic seed data for the Splynx simulator: a believable ISP of any size, from a seed number.
import { add, divide, multiply, percentOf, round, toUnits } from "@/server/money";
import { seededRandom, type Random } from "./random";
import type { SplynxStore, WireRecord } from "./store";

export type SeedOptions = { seed: number; customers: number; invoices: number; today?: string };

const FIRST = [
  "José",
  "Zoë",
  "Łukasz",
  "Søren",
  "Ngozi",
  "Aoife",
  "Mateus",
  "Chloé",
  "Björn",
  "Amara",
  "Dmitri",
  "Siobhán",
  "Kenji",
  "Fatima",
  "Oluwaseun",
  "Émile",
  "Ingrid",
  "Rahul",
  "Maël",
  "Thandiwe",
  "Jürgen",
  "Ana",
  "Ólafur",
  "Mei",
  "Tomás",
  "Grace",
  "Nguyễn",
  "Yusuf",
  "Hannah",
  "Piotr",
];
const LAST = [
  "García",
  "O'Brien",
  "Müller",
  "Kowalski",
  "Adeyemi",
  "Nørgaard",
  "Dubois",
  "Silva",
  "Papadopoulos",
  "Tanaka",
  "Mbeki",
  "Novák",
  "Ó Súilleabháin",
  "Jensen",
  "Okafor",
  "Rossi",
  "Van der Berg",
  "Chen",
  "Haddad",
  "Lindqvist",
  "Smith",
  "Şahin",
  "Fernández",
  "Kim",
  "Nakamura",
  "Walsh",
  "Brennan",
  "Ivanova",
  "Costa",
  "Ahmed",
];
const COMPANY_WORDS = [
  "Harbour",
  "Alpine",
  "Nordlys",
  "Crèche",
  "Riverside",
  "Café",
  "Ærø",
  "Summit",
  "Bäckerei",
  "Lighthouse",
  "Greenfield",
  "Orchard",
  "Atelier",
  "Kiln",
  "Meadow",
];
const COMPANY_SUFFIXES = ["Ltd", "GmbH", "& Sons", "S.A.", "Co-op", "AB", "Sp. z o.o.", "LLC", "Trust", "Partners"];
const STREETS = [
  "High Street",
  "Bahnhofstraße",
  "Rue de la Paix",
  "Calle Mayor",
  "Ulica Długa",
  "Main Road",
  "Kongensgade",
  "Station Road",
  "Via Roma",
  "Church Lane",
];
const CITIES = [
  ["Zürich", "8001"],
  ["Kraków", "31-001"],
  ["São Paulo", "01000-000"],
  ["Malmö", "211 20"],
  ["Århus", "8000"],
  ["Cork", "T12"],
  ["Lagos", "100001"],
  ["Leeds", "LS1 4AP"],
  ["Łódź", "90-001"],
  ["Dunedin", "9016"],
] as const;

// Gross monthly prices the way ISPs set them; Splynx stores the net price with 4 decimals.
const PLANS = [
  { category: 6, name: "Internet 100M", gross: "29.99" },
  { category: 7, name: "Internet 1G", gross: "59.99" },
  { category: 6, name: "Internet 100M (business)", gross: "44.90" },
  { category: 8, name: "Voice unlimited", gross: "9.95" },
  { category: 9, name: "Router rental", gross: "4.99" },
] as const;
const ONE_TIME = [
  { category: 10, name: "Installation", gross: "79.00" },
  { category: 9, name: "Mesh Wi-Fi unit", gross: "119.95" },
  { category: 10, name: "Site survey", gross: "35.50" },
] as const;

const TAXES = [
  { id: 1, name: "VAT 20%", rate: "20.0000" },
  { id: 2, name: "VAT 5% (reduced)", rate: "5.0000" },
  { id: 3, name: "Zero rated", rate: "0.0000" },
  { id: 4, name: "VAT 7.5%", rate: "7.5000" },
] as const;
/** Standard VAT plus a 5 % telecoms levy on voice: an item carries the group's id and its summed rate. */
const LEVY_GROUP = { id: 5, name: "Telecoms levy group", rate: "25.0000" } as const;
type SeedTax = (typeof TAXES)[number] | typeof LEVY_GROUP;
const VOICE = 8;

const pad = (value: number, width: number) => String(value).padStart(width, "0");

function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

function monthBounds(day: string): [string, string] {
  const [year, month] = day.split("-").map(Number) as [number, number];
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return [`${year}-${pad(month, 2)}-01`, `${year}-${pad(month, 2)}-${pad(last, 2)}`];
}

const time = (random: Random) =>
  `${pad(random.int(7, 20), 2)}:${pad(random.int(0, 59), 2)}:${pad(random.int(0, 59), 2)}`;

/** The net unit price Splynx would store for a gross price: 4 decimals, rounded half up. */
const netOf = (gross: string, rate: string) => divide(multiply(gross, "100", 8), add(["100", rate]), 4);

function seedReference(store: SplynxStore) {
  store.partners.insert({ id: 1, name: "Main" });
  store.partners.insert({ id: 2, name: "Northern Reseller" });
  store.partners.insert({ id: 3, name: "Østfold Fiber Partner" });
  store.locations.insert({ id: 1, name: "Central" });
  const methods: [number, string, string, string][] = [
    [1, "Cash", "Payer", ""],
    [2, "Bank transfer", "Account", "Transaction ID"],
    [3, "Credit card", "Number", "Transaction ID"],
    [5, "Other", "", ""],
    [6, "Refill card", "Card", ""],
    [7, "Zoho Books", "Zoho payment id", "Zoho payment number"],
  ];
  for (const [id, name, name1, name2] of methods) {
    store.paymentMethods.insert({
      id,
      name,
      is_active: "1",
      name_1: name1,
      name_2: name2,
      name_3: "",
      name_4: "",
      name_5: "",
      accounting_bank_accounts_id: 0,
      einvoicing_payment_methods_id: 0,
    });
  }
  const categories = [
    "Service",
    "Discount",
    "Payment",
    "Refund",
    "Correction",
    "Internet 100M",
    "Internet 1G",
    "Voice",
    "Equipment",
    "Installation",
  ];
  for (const [index, name] of categories.entries())
    store.transactionCategories.insert({
      id: index + 1,
      name,
      is_base: index < 5 ? "1" : "0",
      accounting_category_id: null,
      einvoicing_category_id: 0,
      einvoicing_private_person_category_id: 0,
      einvoicing_type_id: 0,
      einvoicing_private_person_type_id: 0,
    });
  for (const tax of TAXES)
    store.taxes.insert({
      ...tax,
      rate: Number(tax.rate),
      type: "single",
      archived: 0,
      accounting_tax_rates_id: 0,
      einvoicing_tax_rates_id: 0,
    });
  store.taxes.insert({
    id: LEVY_GROUP.id,
    name: LEVY_GROUP.name,
    rate: Number(LEVY_GROUP.rate),
    type: "group",
    archived: 0,
    accounting_tax_rates_id: 0,
    einvoicing_tax_rates_id: 0,
    items: [
      { id: 1, type: "tax", apply_to_all_previous: 0, position: 1 },
      { id: 2, type: "tax", apply_to_all_previous: 0, position: 2 },
    ],
  });
}

function seedCustomers(store: SplynxStore, random: Random, count: number, today: string) {
  for (let id = 1; id <= count; id++) {
    const company = random.chance(0.2);
    const name = company
      ? `${random.pick(COMPANY_WORDS)} ${random.pick(COMPANY_WORDS)} ${random.pick(COMPANY_SUFFIXES)}`
      : `${random.pick(FIRST)} ${random.pick(LAST)}`;
    const login = `${name
      .normalize("NFKD")
      .replace(/[^A-Za-z]/g, "")
      .toLowerCase()
      .slice(0, 12)}${id}`;
    const [city, zip] = random.pick(CITIES);
    const added = addDays(today, -random.int(30, 900));
    store.customers.insert({
      id,
      billing_type: "recurring",
      // The live server types these three as strings in its OPTIONS schema.
      partner_id: String(
        random.weighted([
          [1, 7],
          [2, 2],
          [3, 1],
        ] as const),
      ),
      location_id: "1",
      added_by: "admin",
      added_by_id: "1",
      login,
      category: company ? "company" : "person",
      name,
      email: random.chance(0.95) ? `${login}@example.net` : "",
      billing_email: random.chance(0.3) ? `billing.${login}@example.net` : "",
      phone: random.chance(0.9) ? `+44 20 7946 ${pad(id % 10000, 4)}` : "",
      street_1: `${random.int(1, 240)} ${random.pick(STREETS)}`,
      zip_code: zip,
      city,
      status: random.weighted([
        ["active", 13],
        ["new", 2],
        ["blocked", 2],
        ["disabled", 3],
      ] as const),
      date_add: added,
      last_online: "",
      last_update: `${addDays(added, random.int(0, 20))} ${time(random)}`,
      daily_prepaid_cost: 0,
      gps: "",
      conversion_date: "0000-00-00 00:00:00",
      mrr_total: "0.0000",
      gdpr_agreed: "empty_answer",
      parent_id: 0,
      subdivision_id: 0,
      customer_labels: [],
      additional_attributes: {},
    });
  }
}

type Line = {
  category: number;
  description: string;
  quantity: string;
  price: string;
  tax: SeedTax;
  periodFrom: string;
  periodTo: string;
};

function itemsWire(lines: Line[], firstItemId: number) {
  return lines.map((line, index) => ({
    id: firstItemId + index,
    pos: index + 1,
    description: line.description,
    quantity: Number(line.quantity),
    unit: "0",
    price: line.price,
    tax: line.tax.rate,
    tax_amount: Number(percentOf(multiply(line.price, line.quantity), line.tax.rate)),
    period_from: line.periodFrom,
    period_to: line.periodTo,
    transaction_id: 0,
    categoryIdForTransaction: line.category,
    tax_id: line.tax.id,
    sub_account_id: 0,
  }));
}

/** Splynx's total: net lines plus their taxes, rounded to cents. */
export function splynxTotal(lines: { price: string; quantity: string | number; tax: string }[]): string {
  const gross = lines.map((line) => {
    const net = multiply(line.price, String(line.quantity));
    return add([net, percentOf(net, line.tax)]);
  });
  return round(add(gross), 2);
}

function seedDocuments(store: SplynxStore, random: Random, count: number, today: string) {
  const customers = store.customers.all().filter((customer) => customer.status !== "new");
  let itemId = 1;
  let creditNoteSequence = 1;
  let receiptSequence = 1;
  const invoiceSequence = new Map<string, number>();

  const pay = (invoice: WireRecord, amount: string, date: string) => {
    const payment = store.payments.insert({
      customer_id: invoice.customer_id,
      invoice_id: invoice.id,
      credit_note_id: null,
      request_id: null,
      transaction_id: 0,
      payment_statement_id: null,
      payment_type: random.weighted([
        [2, 6],
        [1, 1],
        [3, 3],
      ] as const),
      receipt_number: `${date.slice(0, 7)}-${pad(receiptSequence++, 5)}`,
      date,
      amount: Number(amount),
      remind_amount: "0.0000",
      comment: "",
      is_sent: "0",
      field_1: "",
      field_2: "",
      field_3: "",
      field_4: "",
      field_5: "",
      note: "",
      memo: "",
      added_by: "admin",
      added_by_id: 1,
      real_create_datetime: `${date} ${time(random)}`,
      updated_at: `${date} ${time(random)}`,
    });
    store.invoiceRelations.insert({
      customer_id: invoice.customer_id,
      payer_id: payment.id,
      type: "payment",
      invoice_id: invoice.id,
      transaction_id: 0,
      amount: Number(amount),
    });
    return payment;
  };

  for (let index = 0; index < count; index++) {
    const customer = random.pick(customers);
    const created = addDays(today, -random.int(0, 540));
    const recurring = random.chance(0.7);
    const [periodFrom, periodTo] = recurring ? monthBounds(created) : ["0000-00-00", "0000-00-00"];
    const taxFor = () =>
      random.weighted<(typeof TAXES)[number]>([
        [TAXES[0], 8],
        [TAXES[1], 1],
        [TAXES[2], 1],
        [TAXES[3], 1],
      ]);
    const lines: Line[] = Array.from({ length: random.int(1, 4) }, () => {
      const product = recurring ? random.pick(PLANS) : random.pick(ONE_TIME);
      const standard = taxFor();
      const tax = product.category === VOICE && standard === TAXES[0] ? LEVY_GROUP : standard;
      const quantity = product.category === 9 && random.chance(0.3) ? String(random.int(2, 3)) : "1";
      return {
        category: product.category,
        description: recurring ? `${product.name} ${periodFrom} – ${periodTo}` : product.name,
        quantity,
        price: netOf(product.gross, tax.rate),
        tax,
        periodFrom,
        periodTo,
      };
    });
    if (recurring && random.chance(0.08)) {
      lines.push({
        category: 2,
        description: "Loyalty discount",
        quantity: "1",
        price: `-${netOf("5.00", lines[0]!.tax.rate)}`,
        tax: lines[0]!.tax,
        periodFrom,
        periodTo,
      });
    }
    const total = splynxTotal(
      lines.map((line) => ({ price: line.price, quantity: line.quantity, tax: line.tax.rate })),
    );
    const year = created.slice(0, 4);
    const partner = Number(customer.partner_id);
    const sequenceKey = `${year}-${partner}`;
    const sequence = (invoiceSequence.get(sequenceKey) ?? 0) + 1;
    invoiceSequence.set(sequenceKey, sequence);
    const status = random.weighted([
      ["paid", 12],
      ["not_paid", 5],
      ["pending", 1],
      ["deleted", 1],
    ] as const);
    const invoice = store.invoices.insert({
      customer_id: customer.id,
      date_created: created,
      real_create_datetime: `${created} ${time(random)}`,
      date_updated: created,
      date_payment: "0000-00-00",
      date_till: addDays(created, 14),
      use_transactions: "1",
      note: "",
      memo: "",
      number: `${year}${pad(partner, 2)}${pad(sequence, 6)}`,
      total: Number(total),
      due: Number(total),
      payment_id: 0,
      type: recurring ? "recurring" : "one_time",
      payd_from_deposit: "0",
      status,
      is_sent: "1",
      added_by: recurring ? "system" : "admin",
      added_by_id: recurring ? 0 : 1,
      items: itemsWire(lines, itemId),
      additional_attributes: {},
    });
    itemId += lines.length;

    if (status === "paid") {
      const paidOn = addDays(created, random.int(0, 12));
      const payment = pay(invoice, total, paidOn);
      Object.assign(invoice, { due: 0, payment_id: payment.id, date_payment: paidOn });
    } else if (status === "not_paid" && random.chance(0.2) && toUnits(total) > 0n) {
      const part = divide(total, "2", 2);
      pay(invoice, part, addDays(created, random.int(0, 10)));
      invoice.due = Number(add([total, `-${part}`], 2));
    }

    if (status !== "deleted" && random.chance(0.04)) {
      const credited = lines[0]!;
      const creditTotal = splynxTotal([{ price: credited.price, quantity: credited.quantity, tax: credited.tax.rate }]);
      const note = store.creditNotes.insert({
        customer_id: customer.id,
        number: `CN${year}${pad(creditNoteSequence++, 6)}`,
        date_created: addDays(created, random.int(1, 20)),
        date_updated: addDays(created, 20),
        date_payment: "0000-00-00",
        real_create_datetime: `${addDays(created, 20)} ${time(random)}`,
        status: random.weighted([
          ["not_refunded", 3],
          ["refunded", 1],
        ] as const),
        payment_id: 0,
        note: `Credit for invoice ${String(invoice.number)}`,
        is_sent: "0",
        total: Number(creditTotal),
        remind_amount: 0,
        added_by: "admin",
        added_by_id: 1,
        items: itemsWire([credited], itemId++).map(
          ({ pos: _pos, transaction_id: _transaction, categoryIdForTransaction: _category, ...item }) => item,
        ),
      });
      store.invoiceRelations.insert({
        customer_id: customer.id,
        payer_id: note.id,
        type: "credit_note",
        invoice_id: invoice.id,
        transaction_id: 0,
        amount: Number(creditTotal),
      });
    }
  }

  // Deposits: payments that pay no invoice.
  for (const customer of customers.slice(0, Math.ceil(customers.length / 20))) {
    const date = addDays(today, -random.int(0, 200));
    store.payments.insert({
      customer_id: customer.id,
      invoice_id: null,
      credit_note_id: null,
      request_id: null,
      transaction_id: 0,
      payment_statement_id: null,
      payment_type: 1,
      receipt_number: `${date.slice(0, 7)}-${pad(receiptSequence++, 5)}`,
      date,
      amount: 20,
      remind_amount: "20.0000",
      comment: "Deposit",
      is_sent: "0",
      field_1: "",
      field_2: "",
      field_3: "",
      field_4: "",
      field_5: "",
      note: "",
      memo: "",
      added_by: "admin",
      added_by_id: 1,
      real_create_datetime: `${date} ${time(random)}`,
      updated_at: `${date} ${time(random)}`,
    });
  }
  store.bankStatements.insert({
    date_time: `${today} 07:10:49`,
    title: "",
    handler: "",
    status: "new",
    filename_original: "",
    filename_uploaded: "",
    filename_parsed: "",
    records: 0,
    processed: 0,
    errors: 0,
    new: 0,
    canceled: 0,
    ignored: 0,
    manual_paired: 0,
    pending: 0,
    payment_type: 2,
    delimiter: "tabulator",
    pair_to_inactive_customers: "1",
  });
}

export function seedStore(store: SplynxStore, options: SeedOptions): void {
  const random = seededRandom(options.seed);
  const today = options.today ?? "2026-11-01";
  seedReference(store);
  seedCustomers(store, random, options.customers, today);
  seedDocuments(store, random, options.invoices, today);
}
