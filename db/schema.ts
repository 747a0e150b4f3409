// The database schema: people and sign-in, tenants and their members, invitations, and the audit log.
import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  date,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { totalsDiffer } from "./link-totals";

export const ROLES = ["viewer", "admin", "owner"] as const;
export type Role = (typeof ROLES)[number];
export const roleEnum = pgEnum("role", ROLES);

const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();

export const people = pgTable(
  "people",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    email: text("email").notNull(),
    name: text("name").notNull(),
    passwordHash: text("password_hash").notNull(),
    /** Sessions signed in before this (a password reset) are signed out. */
    sessionsValidFrom: timestamp("sessions_valid_from", { withTimezone: true }),
    /** Null until the person opens the link mailed at sign-up; accounts made any other way start confirmed. */
    emailConfirmedAt: timestamp("email_confirmed_at", { withTimezone: true }).defaultNow(),
    /** The pending confirmation link's hash (the link itself is only in the mail); a new link replaces it. */
    confirmationTokenHash: text("confirmation_token_hash"),
    confirmationExpiresAt: timestamp("confirmation_expires_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("people_email_key").on(sql`lower(${t.email})`),
    uniqueIndex("people_confirmation_token_key").on(t.confirmationTokenHash),
  ],
);

export const tenants = pgTable("tenants", {
  id: uuid("id").primaryKey().defaultRandom(),
  slug: text("slug").notNull().unique(),
  name: text("name").notNull(),
  createdAt: createdAt(),
});

/** The owning tenant: every table of tenant data has it, and loses its rows with the tenant. */
const tenantId = () =>
  uuid("tenant_id")
    .notNull()
    .references(() => tenants.id, { onDelete: "cascade" });

export const memberships = pgTable(
  "memberships",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: tenantId(),
    personId: uuid("person_id")
      .notNull()
      .references(() => people.id, { onDelete: "cascade" }),
    role: roleEnum("role").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("memberships_tenant_person_key").on(t.tenantId, t.personId),
    index("memberships_person_idx").on(t.personId),
  ],
);

export const invitations = pgTable(
  "invitations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: tenantId(),
    email: text("email").notNull(),
    role: roleEnum("role").notNull(),
    // Only a hash is kept: the token itself is shown once, to the inviting owner.
    tokenHash: text("token_hash").notNull().unique(),
    invitedBy: uuid("invited_by").references(() => people.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    acceptedAt: timestamp("accepted_at", { withTimezone: true }),
    acceptedBy: uuid("accepted_by").references(() => people.id, { onDelete: "set null" }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [index("invitations_tenant_idx").on(t.tenantId)],
);

export const auditLog = pgTable(
  "audit_log",
  {
    // A growing integer id gives keyset pagination a stable, indexed cursor.
    id: bigint("id", { mode: "number" }).notNull().generatedAlwaysAsIdentity(),
    tenantId: tenantId(),
    actorId: uuid("actor_id").references(() => people.id, { onDelete: "set null" }),
    // The e-mail at the time of the action, so the entry stays readable after the person leaves.
    actorEmail: text("actor_email"),
    action: text("action").notNull(),
    target: text("target"),
    details: jsonb("details").$type<Record<string, unknown>>(),
    ip: text("ip"),
    createdAt: createdAt(),
  },
  (t) => [
    // The key leads with the tenant: with a key on the id alone the planner pages "newest first" down that key and
    // filters by tenant, reading every newer row of every other tenant (bench/README.md, portal listings).
    primaryKey({ columns: [t.tenantId, t.id] }),
    index("audit_log_tenant_action_idx").on(t.tenantId, t.action, t.id),
    index("audit_log_tenant_actor_idx").on(t.tenantId, t.actorId, t.id),
    // A date range's first and last ids (the listing walks ids between them) and the actor menu's loose index scan.
    index("audit_log_tenant_created_idx").on(t.tenantId, t.createdAt, t.id),
    index("audit_log_tenant_actor_email_idx")
      .on(t.tenantId, t.actorEmail, t.actorId)
      .where(sql`actor_id is not null and actor_email is not null`),
  ],
);

export const SPLYNX_AUTH_MODES = ["signature", "token"] as const;
export const splynxAuthModeEnum = pgEnum("splynx_auth_mode", SPLYNX_AUTH_MODES);

export type ConnectionCheck = { id: string; label: string; ok: boolean; detail?: string };
export type SplynxTestResult = { ok: boolean; testedAt: string; checks: ConnectionCheck[] };

/** One Splynx connection per tenant; key and secret sealed with the encryption keyring. */
export const splynxConnections = pgTable("splynx_connections", {
  tenantId: tenantId().primaryKey(),
  baseUrl: text("base_url").notNull(),
  authMode: splynxAuthModeEnum("auth_mode").notNull().default("signature"),
  apiKeySealed: text("api_key_sealed").notNull(),
  apiSecretSealed: text("api_secret_sealed").notNull(),
  lastTest: jsonb("last_test").$type<SplynxTestResult>(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

// The last signature nonce per Splynx API key (by fingerprint), shared by every worker process.
export const splynxNonces = pgTable("splynx_nonces", {
  keyFingerprint: text("key_fingerprint").primaryKey(),
  lastNonce: bigint("last_nonce", { mode: "bigint" }).notNull(),
});

export const ZOHO_CONNECTION_STATES = ["connected", "needs_reconnect"] as const;
export const zohoConnectionStateEnum = pgEnum("zoho_connection_state", ZOHO_CONNECTION_STATES);

/** One Zoho Books connection per tenant: tokens and the own app's secret sealed; the chosen organization. */
export const zohoConnections = pgTable("zoho_connections", {
  tenantId: tenantId().primaryKey(),
  region: text("region").notNull(),
  accountsServer: text("accounts_server").notNull(),
  apiDomain: text("api_domain").notNull(),
  ownClientId: text("own_client_id"),
  ownClientSecretSealed: text("own_client_secret_sealed"),
  refreshTokenSealed: text("refresh_token_sealed").notNull(),
  accessTokenSealed: text("access_token_sealed"),
  accessTokenExpiresAt: timestamp("access_token_expires_at", { withTimezone: true }),
  organizationId: text("organization_id"),
  organizationName: text("organization_name"),
  /** The chosen organization's plan as Zoho names it (FREE, PROFESSIONAL…): its concurrency allowance follows it. */
  organizationPlan: text("organization_plan"),
  state: zohoConnectionStateEnum("state").notNull().default("connected"),
  stateReason: text("state_reason"),
  connectedAt: timestamp("connected_at", { withTimezone: true }).notNull().defaultNow(),
});

/** A pending "Connect with Zoho Books": single-use, short-lived, bound to the tenant and the person who started it. */
export const zohoOAuthStates = pgTable(
  "zoho_oauth_states",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: tenantId(),
    personId: uuid("person_id")
      .notNull()
      .references(() => people.id, { onDelete: "cascade" }),
    region: text("region").notNull(),
    ownClientId: text("own_client_id"),
    ownClientSecretSealed: text("own_client_secret_sealed"),
    createdAt: createdAt(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
  },
  (t) => [index("zoho_oauth_states_tenant_idx").on(t.tenantId)],
);

/**
 * Zoho's limits per organization, shared by every worker: when the calls of the window were answered (calls in flight
 * are the leases) and the daily quota last reported. Slots are taken and handed back by the SQL functions of
 * drizzle/0026_zoho_answer_dated_window.sql.
 */
export const zohoRateLimits = pgTable("zoho_rate_limits", {
  organizationId: text("organization_id").primaryKey(),
  recentCalls: bigint("recent_calls", { mode: "number" }).array().notNull().default(sql`'{}'::bigint[]`),
  dailyLimit: integer("daily_limit"),
  dailyRemaining: integer("daily_remaining"),
  dailyResetsAt: timestamp("daily_resets_at", { withTimezone: true }),
});

/** Calls in flight to a Zoho organization; a lease expires so a crashed worker can't hold a slot forever. */
export const zohoCallLeases = pgTable(
  "zoho_call_leases",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organizationId: text("organization_id").notNull(),
    /** When the slot was granted (ms, the limiter's clock); null for a lease of a release before answer-dated windows. */
    grantedAt: bigint("granted_at", { mode: "number" }),
    expiresAt: bigint("expires_at", { mode: "number" }).notNull(),
  },
  (t) => [index("zoho_call_leases_org_idx").on(t.organizationId)],
);

/** Zoho calls per organization and UTC day, counted by the limiter as it grants each call (the usage chart). */
export const zohoDailyUsage = pgTable(
  "zoho_daily_usage",
  {
    organizationId: text("organization_id").notNull(),
    day: date("day", { mode: "string" }).notNull(),
    calls: integer("calls").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.day] })],
);

export const REFERENCE_KINDS = [
  "zoho_item",
  "zoho_account",
  "zoho_tax",
  "zoho_currency",
  "splynx_category",
  "splynx_payment_method",
  "splynx_tax",
  "splynx_partner",
] as const;
export type ReferenceKind = (typeof REFERENCE_KINDS)[number];

/** Reference data loaded from both sides for mapping (SPEC §4.1); replaced as a whole on each load. */
export const referenceRecords = pgTable(
  "reference_records",
  {
    tenantId: tenantId(),
    kind: text("kind").$type<ReferenceKind>().notNull(),
    externalId: text("external_id").notNull(),
    name: text("name").notNull(),
    details: jsonb("details")
      .$type<{
        percentage?: string;
        taxType?: string;
        accountType?: string;
        currencyCode?: string;
        active?: boolean;
        used?: boolean;
      }>()
      .notNull()
      .default({}),
    loadedAt: timestamp("loaded_at", { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.kind, t.externalId] })],
);

export const MAPPING_KINDS = ["category_item", "method_account", "tax", "method_mode"] as const;
export type MappingKind = (typeof MAPPING_KINDS)[number];

/** What each Splynx category, payment method or tax becomes in Zoho (SPEC §4.2); `*` is a screen's default row. */
export const mappings = pgTable(
  "mappings",
  {
    tenantId: tenantId(),
    kind: text("kind").$type<MappingKind>().notNull(),
    splynxId: text("splynx_id").notNull(),
    zohoValue: text("zoho_value").notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.kind, t.splynxId] })],
);

export const SYNC_ENTITIES = ["customer", "invoice", "credit_note", "payment", "payment_import"] as const;
export type SyncEntity = (typeof SYNC_ENTITIES)[number];
/** `held`: a first create would duplicate a Zoho record no link holds, so it waits for a person on Pairing. */
export const LINK_STATES = ["pending", "synced", "failed", "skipped", "held"] as const;
export type LinkState = (typeof LINK_STATES)[number];

export type LinkDetails = {
  number?: string;
  customerId?: string;
  date?: string;
  splynxTotal?: string;
  zohoTotal?: string;
  zohoStatus?: string;
  /** Payments: the number Zoho gave the payment, and the invoice it pays (its number). */
  zohoNumber?: string;
  invoiceNumber?: string;
  /** Imported payments: the Splynx payment made from the Zoho one, and its statement. */
  splynxPaymentId?: string;
  statementId?: string;
};

/** The source of truth for "is it synced" (SPEC §6): one row per Splynx record and its Zoho counterpart. */
export const syncLinks = pgTable(
  "sync_links",
  {
    tenantId: tenantId(),
    entity: text("entity").$type<SyncEntity>().notNull(),
    splynxId: text("splynx_id").notNull(),
    zohoId: text("zoho_id"),
    /** The Zoho organization the Zoho id lives in; a link of another organization is not synced there. */
    organizationId: text("organization_id"),
    /** What was last sent (or, when failed, last tried), so an unchanged record costs no Zoho call. */
    fingerprint: text("fingerprint"),
    /** The natural key a pending create sent (contact name and e-mail, number, reference), looked up after a crash. */
    intentKey: jsonb("intent_key").$type<Record<string, string>>(),
    /** The attempt that claimed this record, and until when; another attempt never writes it meanwhile. */
    claimId: uuid("claim_id"),
    claimedUntil: timestamp("claimed_until", { withTimezone: true }),
    /** The Zoho record a held record would duplicate. */
    candidateId: text("candidate_id"),
    /** A person looked at the Zoho records this one matched and chose to create it anyway. */
    createConfirmed: boolean("create_confirmed").notNull().default(false),
    /** Failures in a row, and when the next automatic attempt may come (backoff). */
    failures: integer("failures").notNull().default(0),
    retryAfter: timestamp("retry_after", { withTimezone: true }),
    state: text("state").$type<LinkState>().notNull(),
    /** The rule that skipped it, or Zoho's or Splynx's message verbatim. */
    message: text("message"),
    /** Paired by a person rather than created by Ledgerlink. */
    manual: boolean("manual").notNull().default(false),
    label: text("label"),
    /** What Records shows beside the ids: a document's number, customer, date, both totals and Zoho's status. */
    details: jsonb("details").$type<LinkDetails>(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    syncedAt: timestamp("synced_at", { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.entity, t.splynxId] }),
    index("sync_links_state_idx").on(t.tenantId, t.entity, t.state),
    // Records pages in numeric Splynx id order (keyset on the padded id).
    index("sync_links_keyset_idx").on(t.tenantId, t.entity, sql`lpad(${t.splynxId}, 20, '0')`),
    // A customer's documents, for the Records page's customer filter.
    index("sync_links_customer_idx").on(t.tenantId, t.entity, sql`(${t.details}->>'customerId')`),
    // The Records page's search: a document's number by prefix, any record by its Zoho id.
    index("sync_links_number_prefix_idx").on(
      t.tenantId,
      t.entity,
      sql`lower(${t.details}->>'number') text_pattern_ops`,
    ),
    index("sync_links_zoho_id_idx").on(t.tenantId, t.entity, t.zohoId),
    // The few documents whose totals differ, in the keyset order.
    index("sync_links_mismatch_idx")
      .on(t.tenantId, t.entity, sql`lpad(${t.splynxId}, 20, '0')`)
      .where(totalsDiffer(t.details)),
    // One Splynx record per Zoho record: two links can never hold the same contact, invoice or payment.
    uniqueIndex("sync_links_zoho_key")
      .on(t.tenantId, t.organizationId, t.entity, t.zohoId)
      .where(sql`zoho_id is not null`),
  ],
);

export const RUN_STATUSES = ["queued", "running", "succeeded", "failed", "cancelled", "paused"] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
export type RunTrigger = "manual" | "schedule" | "retry" | "resume";
export type PaymentsImportMode = "new" | "all";
export type RunCounts = {
  created: number;
  updated: number;
  unchanged: number;
  skipped: number;
  failed: number;
  held: number;
};

export const syncRuns = pgTable(
  "sync_runs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: tenantId(),
    trigger: text("trigger").$type<RunTrigger>().notNull(),
    requestedBy: uuid("requested_by").references(() => people.id, { onDelete: "set null" }),
    entities: text("entities").array().$type<SyncEntity[]>().notNull(),
    /** A retry of chosen records (one entity), instead of every record of the entities. */
    onlySplynxIds: text("only_splynx_ids").array(),
    /** The payments import's reach: "new" since the import cursor (the default), "all" since the import-from date. */
    paymentsImportMode: text("payments_import_mode").$type<PaymentsImportMode>().notNull().default("new"),
    status: text("status").$type<RunStatus>().notNull().default("queued"),
    counts: jsonb("counts")
      .$type<RunCounts>()
      .notNull()
      .default({ created: 0, updated: 0, unchanged: 0, skipped: 0, failed: 0, held: 0 }),
    progress: jsonb("progress")
      .$type<{ done: number; total: number | null; step: string }>()
      .notNull()
      .default({ done: 0, total: null, step: "queued" }),
    zohoCalls: integer("zoho_calls").notNull().default(0),
    cancelRequested: boolean("cancel_requested").notNull().default(false),
    /** A worker renews this while it works; a run whose lease lapsed is ended as "worker lost" by the sweep. */
    leaseUntil: timestamp("lease_until", { withTimezone: true }),
    /** A scheduled run's slot (its UTC instant); one run per tenant and slot, however often a tick repeats. */
    slot: text("slot"),
    /** A run paused at the quota reserve goes on by itself after Zoho's daily reset. */
    resumeAt: timestamp("resume_at", { withTimezone: true }),
    error: text("error"),
    createdAt: createdAt(),
    startedAt: timestamp("started_at", { withTimezone: true }),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [
    // Ascending, scanned backwards for the log's newest-first pages (see audit_log_tenant_id_idx).
    index("sync_runs_tenant_idx").on(t.tenantId, t.createdAt),
    // At most one run queued or running per tenant: two clicks never start two runs.
    uniqueIndex("sync_runs_one_active_key").on(t.tenantId).where(sql`status in ('queued', 'running')`),
    uniqueIndex("sync_runs_slot_key").on(t.tenantId, t.slot).where(sql`slot is not null`),
    index("sync_runs_lease_idx").on(t.leaseUntil).where(sql`status in ('queued', 'running')`),
  ],
);

export const ENTRY_ACTIONS = [
  "created",
  "updated",
  "unchanged",
  "skipped",
  "failed",
  "adopted",
  "held",
  "warning",
] as const;
export type EntryAction = (typeof ENTRY_ACTIONS)[number];

/** The sync log's per-record lines. */
export const syncRunEntries = pgTable(
  "sync_run_entries",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    tenantId: tenantId(),
    runId: uuid("run_id")
      .notNull()
      .references(() => syncRuns.id, { onDelete: "cascade" }),
    entity: text("entity").$type<SyncEntity>().notNull(),
    splynxId: text("splynx_id").notNull(),
    action: text("action").$type<EntryAction>().notNull(),
    message: text("message"),
    createdAt: createdAt(),
  },
  (t) => [
    index("sync_run_entries_run_idx").on(t.tenantId, t.runId, t.id),
    // The log filtered on one action pages by index however large the run (a seq scan at a million entries).
    index("sync_run_entries_run_action_idx").on(t.tenantId, t.runId, t.action, t.id),
  ],
);

/** The tenant's Zoho customers, loaded for pairing (SPEC §5). */
export const zohoContactsCache = pgTable(
  "zoho_contacts_cache",
  {
    tenantId: tenantId(),
    contactId: text("contact_id").notNull(),
    name: text("name").notNull(),
    email: text("email").notNull(),
    companyName: text("company_name").notNull(),
    loadedAt: timestamp("loaded_at", { withTimezone: true }).notNull(),
  },
  // A customer's lookup compares e-mail (or name) case aside: without these it read every contact of the tenant.
  (t) => [
    primaryKey({ columns: [t.tenantId, t.contactId] }),
    index("zoho_contacts_cache_email_idx").on(t.tenantId, sql`lower(${t.email})`),
    index("zoho_contacts_cache_name_idx").on(t.tenantId, sql`lower(${t.name})`),
  ],
);

/**
 * Where scheduled runs read an entity from (SPEC §7): records Splynx changed since `readFrom` (the start of the last
 * complete read), and everything once a day (`fullReadAt`), for what a change filter misses (hard deletes).
 */
export const syncCursors = pgTable(
  "sync_cursors",
  {
    tenantId: tenantId(),
    entity: text("entity").$type<SyncEntity>().notNull(),
    readFrom: timestamp("read_from", { withTimezone: true }).notNull(),
    fullReadAt: timestamp("full_read_at", { withTimezone: true }).notNull(),
    /** What the read was made under (organization, settings, mappings): another basis needs a full read. */
    basis: text("basis").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.entity] })],
);

/** Per-tenant settings (SPEC §3), validated by the settings schema in server/sync/settings.ts. */
export const tenantSettings = pgTable("tenant_settings", {
  tenantId: tenantId().primaryKey(),
  values: jsonb("values").$type<Record<string, unknown>>().notNull(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

// Sign-in attempts per key (e-mail and address, address, e-mail; also sign-ups and tenant creations); not tenant data.
export const signInThrottle = pgTable("sign_in_throttle", {
  key: text("key").primaryKey(),
  failures: integer("failures").notNull().default(0),
  windowStartedAt: timestamp("window_started_at", { withTimezone: true }).notNull(),
  lockedUntil: timestamp("locked_until", { withTimezone: true }),
  /** The last successful sign-in for an e-mail-and-address key: that address is the person's own. */
  succeededAt: timestamp("succeeded_at", { withTimezone: true }),
});

/** A password reset: only the token's hash is kept; used once, before it expires. Not tenant data. */
export const passwordResetTokens = pgTable(
  "password_reset_tokens",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    personId: uuid("person_id")
      .notNull()
      .references(() => people.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull().unique(),
    createdAt: createdAt(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
  },
  (t) => [index("password_reset_tokens_person_idx").on(t.personId)],
);

/** Mail kept instead of sent where no SMTP server is configured (the sandbox's outbox page). Not tenant data. */
export const mailOutbox = pgTable(
  "mail_outbox",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    to: text("to").notNull(),
    subject: text("subject").notNull(),
    text: text("text").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("mail_outbox_created_idx").on(t.createdAt.desc())],
);

/** Reports beyond the sync (SPEC §8): a preview of the next run, or a reconciliation of both sides' totals. */
export const REPORT_KINDS = ["preview", "reconciliation"] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];
export type ReportStatus = "queued" | "running" | "succeeded" | "failed";
/** A preview's entities, or a reconciliation's period (dates inclusive; null for open ends). */
export type ReportScope = { entities?: SyncEntity[]; from?: string | null; to?: string | null };

export const reports = pgTable(
  "reports",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: tenantId(),
    kind: text("kind").$type<ReportKind>().notNull(),
    trigger: text("trigger").$type<"manual" | "schedule">().notNull(),
    requestedBy: uuid("requested_by").references(() => people.id, { onDelete: "set null" }),
    scope: jsonb("scope").$type<ReportScope>().notNull(),
    status: text("status").$type<ReportStatus>().notNull().default("queued"),
    progress: jsonb("progress")
      .$type<{ done: number; total: number | null; step: string }>()
      .notNull()
      .default({ done: 0, total: null, step: "queued" }),
    /** What the report found in figures: a preview's counts per action, a reconciliation's totals per period. */
    summary: jsonb("summary").$type<Record<string, unknown>>(),
    /** Zoho calls the report spent (reads only). */
    zohoCalls: integer("zoho_calls").notNull().default(0),
    /** A worker renews this while it works; a report whose lease lapsed is ended as lost. */
    leaseUntil: timestamp("lease_until", { withTimezone: true }),
    /** A scheduled report's slot; one per tenant and slot however often the tick repeats. */
    slot: text("slot"),
    error: text("error"),
    createdAt: createdAt(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [
    index("reports_tenant_idx").on(t.tenantId, t.kind, t.createdAt.desc()),
    uniqueIndex("reports_one_active_key").on(t.tenantId, t.kind).where(sql`status in ('queued', 'running')`),
    uniqueIndex("reports_slot_key").on(t.tenantId, t.kind, t.slot).where(sql`slot is not null`),
  ],
);

/** A report's lines: a preview's record with what the run would do, or a reconciliation's mismatch or customer totals. */
export const reportRows = pgTable(
  "report_rows",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    tenantId: tenantId(),
    reportId: uuid("report_id")
      .notNull()
      .references(() => reports.id, { onDelete: "cascade" }),
    entity: text("entity").$type<SyncEntity>().notNull(),
    splynxId: text("splynx_id"),
    zohoId: text("zoho_id"),
    label: text("label"),
    customerId: text("customer_id"),
    action: text("action").notNull(),
    message: text("message"),
    details: jsonb("details").$type<Record<string, string>>(),
  },
  (t) => [
    index("report_rows_report_idx").on(t.tenantId, t.reportId, t.id),
    index("report_rows_action_idx").on(t.tenantId, t.reportId, t.action, t.id),
  ],
);

/** How often the reconciliation report runs by itself (weekly unless a person chose otherwise). */
export const RECONCILIATION_SCHEDULES = ["off", "daily", "weekly", "monthly"] as const;
export type ReconciliationSchedule = (typeof RECONCILIATION_SCHEDULES)[number];
export const reportSchedules = pgTable("report_schedules", {
  tenantId: tenantId().primaryKey(),
  reconciliation: text("reconciliation").$type<ReconciliationSchedule>().notNull().default("weekly"),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/** The Splynx records Records lists, whether or not a run has handled them (SPEC §8): every entity but imports. */
export const INDEXED_ENTITIES = ["customer", "invoice", "credit_note", "payment"] as const;
export type IndexedEntity = (typeof INDEXED_ENTITIES)[number];

/** The tenant's local index of Splynx records, filled by runs' reads and by the index job; keyed as links are. */
export const splynxRecords = pgTable(
  "splynx_records",
  {
    tenantId: tenantId(),
    entity: text("entity").$type<IndexedEntity>().notNull(),
    splynxId: text("splynx_id").notNull(),
    /** A customer's name; a document's or payment's number. */
    label: text("label").notNull(),
    customerId: text("customer_id"),
    /** YYYY-MM-DD, as Splynx dates the document or payment. */
    date: text("date"),
    /** A decimal string, as Splynx sent it. */
    amount: text("amount"),
    status: text("status"),
    /** When Splynx last changed it, in Splynx's own words (its server's local time, or a date only). */
    changedAt: text("changed_at"),
    /** The last read that saw it; a full read that did not see it marks it removed. */
    seenAt: timestamp("seen_at", { withTimezone: true }).notNull(),
    removedAt: timestamp("removed_at", { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.entity, t.splynxId] }),
    // Records pages in numeric Splynx id order, as links do.
    index("splynx_records_keyset_idx").on(t.tenantId, t.entity, sql`lpad(${t.splynxId}, 20, '0')`),
    index("splynx_records_customer_idx").on(t.tenantId, t.entity, t.customerId, sql`lpad(${t.splynxId}, 20, '0')`),
    index("splynx_records_label_prefix_idx").on(t.tenantId, t.entity, sql`lower(${t.label}) text_pattern_ops`),
  ],
);

/** Per tenant and entity: where the index job's next read of changes starts, and when it last read everything. */
export const splynxIndexCursors = pgTable(
  "splynx_index_cursors",
  {
    tenantId: tenantId(),
    entity: text("entity").$type<IndexedEntity>().notNull(),
    readFrom: timestamp("read_from", { withTimezone: true }).notNull(),
    fullReadAt: timestamp("full_read_at", { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.entity] })],
);

export const INDEX_REFRESH_STATUSES = ["running", "succeeded", "failed"] as const;
export type IndexRefreshStatus = (typeof INDEX_REFRESH_STATUSES)[number];

/** The tenant's latest read of Splynx into the index, with its progress; one at a time per tenant. */
export const splynxIndexRefreshes = pgTable("splynx_index_refreshes", {
  tenantId: tenantId().primaryKey(),
  id: uuid("id").notNull().defaultRandom(),
  status: text("status").$type<IndexRefreshStatus>().notNull(),
  entity: text("entity").$type<IndexedEntity>(),
  done: integer("done").notNull().default(0),
  total: integer("total"),
  error: text("error"),
  startedAt: timestamp("started_at", { withTimezone: true }).notNull(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
  finishedAt: timestamp("finished_at", { withTimezone: true }),
});
