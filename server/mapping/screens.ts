// The four mapping screens (SPEC §4.2): rows, targets, suggestions by normalised name (and percentage for taxes).
import type { MappingKind, ReferenceKind } from "@/db/schema";

/** Case, spaces and punctuation don't make two names different. */
export const normaliseName = (name: string) =>
  name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, "");

export type Reference = {
  kind: ReferenceKind;
  externalId: string;
  name: string;
  details: {
    percentage?: string;
    taxType?: string;
    accountType?: string;
    currencyCode?: string;
    active?: boolean;
    used?: boolean;
  };
};
export type Target = { value: string; label: string; percentage?: string };
export type MappingRow = {
  splynxId: string;
  name: string;
  used: boolean;
  percentage?: string;
  current: string | null;
  currentMissing: boolean;
  suggestion: Target | null;
};
export type MappingScreen = {
  kind: MappingKind;
  rows: MappingRow[];
  targets: Target[];
  unmapped: number;
  unmappedUsed: number;
  hasDefault: boolean;
};

export const NO_TAX = "none";
export const DEFAULT_ROW = "*";

const SCREENS: Record<MappingKind, { source: ReferenceKind; target: ReferenceKind | "modes"; hasDefault: boolean }> = {
  category_item: { source: "splynx_category", target: "zoho_item", hasDefault: false },
  method_account: { source: "splynx_payment_method", target: "zoho_account", hasDefault: true },
  tax: { source: "splynx_tax", target: "zoho_tax", hasDefault: false },
  method_mode: { source: "splynx_payment_method", target: "modes", hasDefault: true },
};

// Zoho's documented payment-mode values, as Zoho's own screens name them.
const ZOHO_PAYMENT_MODE_NAMES: Record<string, string> = {
  cash: "Cash",
  check: "Check",
  creditcard: "Credit Card",
  banktransfer: "Bank Transfer",
  bankremittance: "Bank Remittance",
  autotransaction: "Auto Transaction",
  others: "Others",
};

/** A payment mode as Zoho shows it: "banktransfer" → "Bank Transfer"; a mode of the ISP's own stays as typed. */
export const paymentModeName = (mode: string) => ZOHO_PAYMENT_MODE_NAMES[mode.toLowerCase()] ?? mode;

function targetsFor(kind: MappingKind, reference: Reference[], paymentModes: string[]): Target[] {
  const target = SCREENS[kind].target;
  if (target === "modes") return paymentModes.map((mode) => ({ value: mode, label: paymentModeName(mode) }));
  const targets = reference
    .filter((record) => record.kind === target && record.details.active !== false)
    // Deposits go to bank and cash accounts only.
    .filter(
      (record) =>
        kind !== "method_account" || record.details.accountType === "bank" || record.details.accountType === "cash",
    )
    .map((record) => ({
      value: record.externalId,
      label:
        record.details.percentage === undefined
          ? record.name
          : `${record.name} (${Number(record.details.percentage)}%)`,
      percentage: record.details.percentage,
    }));
  return kind === "tax" ? [{ value: NO_TAX, label: "No tax" }, ...targets] : targets;
}

function suggest(kind: MappingKind, source: Reference, targets: Target[], reference: Reference[]): Target | null {
  const byName = targets.filter((target) => {
    const record = reference.find((candidate) => candidate.externalId === target.value);
    return normaliseName(record?.name ?? target.label) === normaliseName(source.name);
  });
  if (kind !== "tax") return byName[0] ?? null;
  const samePercentage = (target: Target) =>
    target.percentage !== undefined && Number(target.percentage) === Number(source.details.percentage ?? NaN);
  // A tax pairs with one of the same name and rate, else with the only tax of that rate.
  const named = byName.find(samePercentage);
  if (named) return named;
  const byRate = targets.filter(samePercentage);
  return byRate.length === 1 ? byRate[0]! : null;
}

function defaultSuggestion(kind: MappingKind, targets: Target[]): Target | null {
  if (kind === "method_account")
    return targets.find((target) => normaliseName(target.label) === "undepositedfunds") ?? null;
  return null;
}

/** `paymentModes`: the Zoho payment modes from the tenant's settings, the payment-modes screen's choices. */
export function buildMappingScreen(
  kind: MappingKind,
  reference: Reference[],
  current: Map<string, string>,
  paymentModes: string[],
): MappingScreen {
  const screen = SCREENS[kind];
  const targets = targetsFor(kind, reference, paymentModes);
  const exists = (value: string | null) => value !== null && targets.some((target) => target.value === value);
  const sources = reference.filter((record) => record.kind === screen.source);
  const rows: MappingRow[] = sources.map((source) => {
    const value = current.get(source.externalId) ?? null;
    return {
      splynxId: source.externalId,
      name: source.name,
      used: source.details.used === true,
      percentage: source.details.percentage,
      current: exists(value) ? value : null,
      currentMissing: value !== null && !exists(value),
      suggestion: exists(value) ? null : suggest(kind, source, targets, reference),
    };
  });
  if (screen.hasDefault) {
    const value = current.get(DEFAULT_ROW) ?? null;
    rows.unshift({
      splynxId: DEFAULT_ROW,
      name: "Default (any method not mapped)",
      used: false,
      current: exists(value) ? value : null,
      currentMissing: value !== null && !exists(value),
      suggestion: exists(value) ? null : defaultSuggestion(kind, targets),
    });
  }
  const hasDefault = screen.hasDefault && rows[0]!.current !== null;
  const unmappedRows = rows.filter((row) => row.splynxId !== DEFAULT_ROW && row.current === null);
  return {
    kind,
    rows,
    targets,
    unmapped: unmappedRows.length,
    unmappedUsed: hasDefault ? 0 : unmappedRows.filter((row) => row.used).length,
    hasDefault,
  };
}

/** What each screen is called on the mapping page, so the audit log names it alike. */
export const SCREEN_TITLES: Record<MappingKind, string> = {
  category_item: "Accounting categories",
  method_account: "Bank accounts",
  tax: "Tax rates",
  method_mode: "Payment modes",
};

const TARGET_NOUNS: Record<MappingKind, string> = {
  category_item: "Zoho item",
  method_account: "Zoho account",
  tax: "Zoho tax",
  method_mode: "Zoho payment mode",
};

/** A mapping's Zoho side in words for people: "Zoho item Internet 100 Mbps", "no tax", "unmapped". */
export function describeTarget(screen: MappingScreen, value: string | null): string {
  if (value === null) return "unmapped";
  if (screen.kind === "tax" && value === NO_TAX) return "no tax";
  const target = screen.targets.find((candidate) => candidate.value === value);
  return target
    ? `${TARGET_NOUNS[screen.kind]} ${target.label}`
    : `${TARGET_NOUNS[screen.kind]} ${value} (no longer in the loaded data)`;
}

/**
 * Mapping changes keyed by the Splynx name, for the audit log: "Internet 100" → { before: "unmapped", after: "Zoho
 * item Internet 100 Mbps" }. Two Splynx records of one name are told apart by their id.
 */
export function describeMappingChanges(
  screen: MappingScreen,
  changes: { splynxId: string; before: string | null; after: string | null }[],
): Record<string, { before: string; after: string }> {
  const names = new Map(screen.rows.map((row) => [row.splynxId, row.name]));
  const described: Record<string, { before: string; after: string }> = {};
  for (const change of changes) {
    const name = names.get(change.splynxId) ?? `Splynx ${change.splynxId}`;
    const key = Object.hasOwn(described, name) ? `${name} (${change.splynxId})` : name;
    described[key] = { before: describeTarget(screen, change.before), after: describeTarget(screen, change.after) };
  }
  return described;
}
