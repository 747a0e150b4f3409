// Customer pairing (SPEC §5): each customer's state in the organization, suggestions, and the rules for a manual pair.
import type { Db } from "@/db/client";
import { linksHolding, lockCustomerLink } from "@/db/queries/pairing";
import { writeLink, type Link } from "@/db/queries/sync";
import { DomainError } from "@/server/errors";
import { normaliseName } from "@/server/mapping/screens";

export type PairingCustomer = { splynxId: string; name: string; email: string };
export type PairingContact = { contactId: string; name: string; email: string };
export type Suggestion = {
  splynxId: string;
  customerName: string;
  contactId: string;
  contactName: string;
  reason: "same e-mail" | "same name";
  held: boolean;
};

export const PAIRING_STATES = ["synced", "paired", "held", "not_paired"] as const;
export type PairingState = (typeof PAIRING_STATES)[number];
export type PairingRow = PairingCustomer & {
  state: PairingState;
  zohoId: string | null;
  candidate: PairingContact | null;
  note: string | null;
};

/** The customer links of one organization: a link of another organization holds nothing here. */
export function linksOf(links: Map<string, Link>, organizationId: string | null): Map<string, Link> {
  return new Map([...links].filter(([, link]) => organizationId !== null && link.organizationId === organizationId));
}

/** The Zoho contacts some link of the organization holds. */
export const heldContacts = (links: Map<string, Link>) =>
  new Set([...links.values()].map((link) => link.zohoId).filter((id): id is string => Boolean(id)));

/**
 * Each customer's state in the organization whose links these are: synced (created by Ledgerlink), paired (by a person),
 * held (a first create would duplicate a Zoho contact; with its candidate when it is one free contact), or not paired.
 */
export function pairingRows(
  customers: PairingCustomer[],
  links: Map<string, Link>,
  contacts: Map<string, PairingContact>,
): PairingRow[] {
  const taken = heldContacts(links);
  return customers.map((customer) => {
    const link = links.get(customer.splynxId);
    if (link?.zohoId)
      return {
        ...customer,
        state: link.manual ? "paired" : "synced",
        zohoId: link.zohoId,
        candidate: null,
        note: null,
      };
    if (link?.state === "held") {
      const free = link.candidateId && !taken.has(link.candidateId) ? (contacts.get(link.candidateId) ?? null) : null;
      const gone =
        link.candidateId && !free
          ? taken.has(link.candidateId)
            ? " That Zoho contact now belongs to another customer."
            : " That Zoho contact is not among the loaded Zoho customers."
          : "";
      return {
        ...customer,
        state: "held",
        zohoId: null,
        candidate: free,
        note: `${link.message ?? ""}${gone}`.trim() || null,
      };
    }
    return {
      ...customer,
      state: "not_paired",
      zohoId: null,
      candidate: null,
      note: link?.createConfirmed ? link.message : null,
    };
  });
}

/**
 * One suggestion per unlinked customer of the organization: for a held customer the free contact the sync held it for,
 * else the only free contact with its e-mail, else the only one with its name. A contact that would suit two customers
 * goes to the stronger claim (held or same e-mail before same name), and to neither when the two are equally strong.
 * `links` are the organization's (see `linksOf`).
 */
export function pairingSuggestions(
  customers: PairingCustomer[],
  contacts: PairingContact[],
  links: Map<string, Link>,
  heldContactIds: Set<string>,
): Suggestion[] {
  const free = contacts.filter((contact) => !heldContactIds.has(contact.contactId));
  const byId = new Map(free.map((contact) => [contact.contactId, contact]));
  const byEmail = new Map<string, PairingContact[]>();
  const byName = new Map<string, PairingContact[]>();
  for (const contact of free) {
    if (contact.email)
      byEmail.set(contact.email.toLowerCase(), [...(byEmail.get(contact.email.toLowerCase()) ?? []), contact]);
    byName.set(normaliseName(contact.name), [...(byName.get(normaliseName(contact.name)) ?? []), contact]);
  }
  const proposals: Suggestion[] = [];
  for (const customer of customers) {
    const link = links.get(customer.splynxId);
    if (link?.zohoId) continue;
    const suggest = (match: PairingContact, reason: Suggestion["reason"], held: boolean) =>
      proposals.push({
        splynxId: customer.splynxId,
        customerName: customer.name,
        contactId: match.contactId,
        contactName: match.name,
        reason,
        held,
      });
    if (link?.state === "held" && link.candidateId) {
      const candidate = byId.get(link.candidateId);
      const sameEmail = Boolean(candidate?.email) && candidate!.email.toLowerCase() === customer.email.toLowerCase();
      if (candidate) suggest(candidate, sameEmail ? "same e-mail" : "same name", true);
      continue;
    }
    const emailMatches = customer.email ? (byEmail.get(customer.email.toLowerCase()) ?? []) : [];
    const nameMatches = byName.get(normaliseName(customer.name)) ?? [];
    if (emailMatches.length === 1) suggest(emailMatches[0]!, "same e-mail", false);
    else if (emailMatches.length === 0 && nameMatches.length === 1) suggest(nameMatches[0]!, "same name", false);
  }
  // A contact goes to the one customer with the strongest claim on it (a name match is the weakest); two equally
  // strong claims get neither.
  const rank = (proposal: Suggestion) => (proposal.held || proposal.reason === "same e-mail" ? 0 : 1);
  const strongest = new Map<string, { rank: number; count: number }>();
  for (const proposal of proposals) {
    const best = strongest.get(proposal.contactId);
    if (!best || rank(proposal) < best.rank) strongest.set(proposal.contactId, { rank: rank(proposal), count: 1 });
    else if (rank(proposal) === best.rank) best.count += 1;
  }
  return proposals.filter((proposal) => {
    const best = strongest.get(proposal.contactId)!;
    return best.rank === rank(proposal) && best.count === 1;
  });
}

/**
 * Pairs a Splynx customer with an existing Zoho contact of the organization: a manual link, so the customer is never
 * created in Zoho. A link of another organization is replaced; a held customer is resolved.
 */
export async function pairCustomer(
  tx: Db,
  input: { tenantId: string; organizationId: string; splynxId: string; label: string; contactId: string },
) {
  // The row stays locked until the transaction ends, so no sync attempt claims the customer between check and write.
  const existing = await lockCustomerLink(tx, { tenantId: input.tenantId, splynxId: input.splynxId });
  if (existing?.zohoId && existing.organizationId === input.organizationId) {
    throw new DomainError(
      "CONFLICT",
      existing.manual
        ? "This customer is already paired; unpair it first."
        : `This customer is already synced to Zoho contact ${existing.zohoId}.`,
    );
  }
  if (existing?.claimId && existing.claimedUntil && existing.claimedUntil.getTime() > Date.now()) {
    throw new DomainError("CONFLICT", "A sync is writing this customer right now; pair it when the run has finished.");
  }
  const [holder] = await linksHolding(tx, {
    tenantId: input.tenantId,
    contactIds: [input.contactId],
    organizationId: input.organizationId,
  });
  if (holder)
    throw new DomainError("CONFLICT", `That Zoho contact already belongs to Splynx customer ${holder.splynxId}.`);
  await writeLink(tx, {
    tenantId: input.tenantId,
    entity: "customer",
    splynxId: input.splynxId,
    state: "synced",
    zohoId: input.contactId,
    organizationId: input.organizationId,
    fingerprint: null,
    manual: true,
    label: input.label,
  });
}
