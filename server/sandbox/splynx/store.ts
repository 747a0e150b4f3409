// The simulator's data: records kept in Splynx's wire shape, per collection, in id order.

export type WireRecord = { id: number; [field: string]: unknown };

export class Collection {
  private readonly rows: WireRecord[] = [];
  private readonly byId = new Map<number, WireRecord>();
  private nextId = 1;

  insert(record: Omit<WireRecord, "id"> & { id?: number }): WireRecord {
    const id = record.id ?? this.nextId;
    this.nextId = Math.max(this.nextId, id + 1);
    // Splynx sends id first.
    const row = { id, ...record } as WireRecord;
    row.id = id;
    // Ids only grow, so appending keeps the rows sorted for the binary search below.
    this.rows.push(row);
    this.byId.set(id, row);
    return row;
  }

  get(id: number): WireRecord | undefined {
    return this.byId.get(id);
  }

  remove(id: number): boolean {
    const row = this.byId.get(id);
    if (!row) return false;
    this.byId.delete(id);
    this.rows.splice(this.rows.indexOf(row), 1);
    return true;
  }

  get size(): number {
    return this.rows.length;
  }

  all(): readonly WireRecord[] {
    return this.rows;
  }

  /** Rows with id greater than `id`, in id order, without scanning or copying those before it. */
  *after(id: number): Generator<WireRecord> {
    let low = 0;
    let high = this.rows.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.rows[middle]!.id <= id) low = middle + 1;
      else high = middle;
    }
    for (let index = low; index < this.rows.length; index++) yield this.rows[index]!;
  }
}

export type ApiKey = {
  key: string;
  secret: string;
  title: string;
  /** Splynx's per-key "check nonce" option: each nonce must exceed the last one seen. */
  checkNonce: boolean;
  lastNonce: bigint;
  /** Basic auth needs Splynx's "Unsecure access" switch on the key. */
  unsecureAccess: boolean;
  /** Allowed methods per collection path; absent means every method. */
  permissions?: Record<string, ("GET" | "POST" | "PUT" | "DELETE")[]>;
};

export type AccessToken = {
  access: string;
  refresh: string;
  accessExpires: number;
  refreshExpires: number;
  key: string;
};

export function createStore() {
  return {
    customers: new Collection(),
    invoices: new Collection(),
    creditNotes: new Collection(),
    payments: new Collection(),
    paymentMethods: new Collection(),
    transactionCategories: new Collection(),
    taxes: new Collection(),
    partners: new Collection(),
    locations: new Collection(),
    bankStatements: new Collection(),
    bankStatementRecords: new Collection(),
    invoiceRelations: new Collection(),
    apiKeys: new Map<string, ApiKey>(),
    tokens: new Map<string, AccessToken>(),
  };
}

export type SplynxStore = ReturnType<typeof createStore>;
