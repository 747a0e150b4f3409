// The entity adapter: everything that differs between customers, invoices, credit notes and payments; the engine does the rest.
import type { Db } from "@/db/client";
import type { LinkDetails, PaymentsImportMode, SyncEntity } from "@/db/schema";
import type { SplynxClient } from "@/server/splynx/client";
import type { ResourceName, SplynxRecord } from "@/server/splynx/records";
import type { ZohoBooksClient, ZohoRecord } from "@/server/zoho/books";
import type { PageProgress } from "./flow";
import type { Settings } from "./settings";

/** Named moments in a record's write where a test can stop the worker dead (the crash table of the engine's tests). */
export type CrashPoint = "before-intent" | "after-intent" | "after-send" | "after-link";

export type SyncContext = {
  db: Db;
  tenantId: string;
  runId: string;
  splynx: SplynxClient;
  books: ZohoBooksClient;
  settings: Settings;
  /** The Zoho organization links are read and written for; a link of another organization is not synced here. */
  organizationId: string;
  currencyId: string | null;
  /** A person asked for this run: failed records are retried now, whatever their backoff says. */
  retry: boolean;
  /** How long a claim on a record lasts; longer than one record's slowest Zoho exchange. */
  claimMs?: number;
  /** The payments import's reach: "new" since the import cursor, "all" since the import-from date. */
  paymentsImportMode: PaymentsImportMode;
  /** Entities this run reads only the changes of, since these instants (scheduled runs); the rest in full. */
  changedSince?: Partial<Record<SyncEntity, string>>;
  /** Adds what a page did since its last report to the run's counts and progress (set by the run's worker). */
  reportProgress?: (grown: PageProgress) => Promise<void>;
  /** Tests only: called at each crash point, where it may end the process. */
  crashPoint?: (point: CrashPoint) => void | Promise<void>;
};

/** `retire`: the record is gone from Splynx's books (deleted), so its Zoho record is ended (voided) when it has one. */
export type Eligibility = { eligible: true } | { eligible: false; rule: string; retire?: boolean };

/** A record that cannot become a Zoho record as it is (an unmapped category, a customer not in Zoho): its message is shown as is. */
export class RecordProblem extends Error {}

/** A create's result; `adopted` says why an existing Zoho record was taken instead (its number was already there). */
export type Created = { zohoId: string; adopted?: string; facts?: ZohoFacts };

/** The natural key a create sends: what finds the record in Zoho again (name and e-mail, number, reference). */
export type NaturalKey = Record<string, string>;

/** What the record becomes in Zoho, the key that finds it, and notes on what was changed to suit Zoho. */
export type Prepared = { payload: ZohoRecord; key: NaturalKey; notes: string[] };

/** What Zoho answered that Records shows (a document's total and status). */
export type ZohoFacts = Pick<LinkDetails, "zohoTotal" | "zohoStatus" | "zohoNumber" | "invoiceNumber">;

/** The Splynx column that moves when a record changes (a date only, on documents), for reads of changes. */
export type ChangeColumn = { name: string; precision: "datetime" | "date" };

/** Zoho records that carry a key; `strong` when the key identifies one record (an e-mail, a number). */
export type Candidates = { ids: string[]; strong: boolean };

export type EntityAdapter<R extends ResourceName = ResourceName> = {
  entity: SyncEntity;
  resource: R;
  /** Where Splynx notes a change, so scheduled runs read only changed records; absent: always read in full. */
  changes?: ChangeColumn;
  /** What a person recognises the record by in Records and the log. */
  label: (record: SplynxRecord<R>) => string;
  /** What Records shows of the Splynx record beside the ids, whatever the outcome (a document's number, date, total). */
  details?: (record: SplynxRecord<R>) => LinkDetails;
  eligibility: (record: SplynxRecord<R>, context: SyncContext, linked: boolean) => Eligibility;
  prepare: (record: SplynxRecord<R>, context: SyncContext) => Prepared;
  /** After an interrupted create: the Zoho records that exactly carry one of these keys (the key sent, the key now). */
  findSent: (context: SyncContext, keys: NaturalKey[]) => Promise<Candidates>;
  /** Before a first create: Zoho records that this one would duplicate, with why they match. */
  findExisting: (context: SyncContext, key: NaturalKey) => Promise<Candidates & { reason: string }>;
  create: (context: SyncContext, payload: ZohoRecord) => Promise<Created>;
  /** Steps after a create (mark sent, apply a credit); `resumed` when an interrupted attempt may have done some. */
  finish?: (
    context: SyncContext,
    written: { splynxId: string; zohoId: string; resumed: boolean },
    // biome-ignore lint/suspicious/noConfusingVoidType: a step that learns nothing returns nothing.
  ) => Promise<ZohoFacts | void>;
  /** Ends the Zoho record of a record Splynx deleted (void), and says what it did ("Voided in Zoho."). */
  retire?: (context: SyncContext, zohoId: string) => Promise<string>;
  /**
   * Records of other entities that must be in Zoho first (an invoice's customer), by their Splynx ids, in order; only
   * for records the settings let through, so a payment that is never exported never exports its customer.
   */
  dependsOn?: { entity: SyncEntity; ids: (records: SplynxRecord<R>[], context: SyncContext) => string[] }[];
  /**
   * Besides its whole natural key, what a record's write competes on with other records of its page: what its lookup
   * matches alone (a customer's e-mail), the Zoho record it changes besides its own (the invoice a payment or credit
   * note is applied to, `invoice:<Splynx id>`). Records sharing one are written one after the other, each seeing the
   * last.
   */
  competesOn?: (record: SplynxRecord<R>, key: NaturalKey, context: SyncContext) => string[];
  /** Loads what `prepare` needs for a page of records (links, mappings, rates) before they are handled. */
  beforePage?: (context: SyncContext, records: SplynxRecord<R>[]) => Promise<void>;
  /** `adopting`: the Zoho record was not made from this payload, so keep what it has besides (contact persons). */
  update: (
    context: SyncContext,
    zohoId: string,
    payload: ZohoRecord,
    adopting: boolean,
    // biome-ignore lint/suspicious/noConfusingVoidType: a step that learns nothing returns nothing.
  ) => Promise<ZohoFacts | void>;
  /** A hint for a person when Zoho refuses the record, or null. */
  hintFor?: (message: string) => string | null;
};
