// Customer pairing (SPEC §5): suggestions by e-mail or normalised name, and the rules for a manual pair.
import type { Db } from "@/db/client";
import { linksHolding } from "@/db/queries/pairing";
import { linksFor, writeLink, type Link } from "@/db/queries/sync";
import { DomainError } from "@/server/errors";
import { normaliseName } from "@/server/mapping/screens";

export type PairingCustomer = { splynxId: string; name: string; email: string };
export type PairingContact = { contactId: string; name: string; email: string };
export type Suggestion = { splynxId: string; customerName: string; contactId: string; contactName: string; reason: "same e-mail" | "same name" };

/**
 * One suggestion per unlinked customer: the only free contact with its e-mail, else the only one with its name.
 * A contact that would suit two customers is suggested to neither.
 */
export function pairingSuggestions(customers: PairingCustomer[], contacts: PairingContact[], links: Map<string, Link>, heldContactIds: Set<string>): Suggestion[] {
  const free = contacts.filter((contact) => !heldContactIds.has(contact.contactId));
  const byEmail = new Map<string, PairingContact[]>();
  const byName = new Map<string, PairingContact[]>();
  for (const contact of free) {
    if (contact.email) byEmail.set(contact.email.toLowerCase(), [...(byEmail.get(contact.email.toLowerCase()) ?? []), contact]);
    byName.set(normaliseName(contact.name), [...(byName.get(normaliseName(contact.name)) ?? []), contact]);
  }
  const proposals: Suggestion[] = [];
  for (const customer of customers) {
    if (links.get(customer.splynxId)?.zohoId) continue;
    const emailMatches = customer.email ? (byEmail.get(customer.email.toLowerCase()) ?? []) : [];
    const nameMatches = byName.get(normaliseName(customer.name)) ?? [];
    const [match, reason] = emailMatches.length === 1 ? [emailMatches[0]!, "same e-mail" as const] : emailMatches.length === 0 && nameMatches.length === 1 ? [nameMatches[0]!, "same name" as const] : [undefined, undefined];
    if (match && reason) proposals.push({ splynxId: customer.splynxId, customerName: customer.name, contactId: match.contactId, contactName: match.name, reason });
  }
  const wanted = new Map<string, number>();
  for (const proposal of proposals) wanted.set(proposal.contactId, (wanted.get(proposal.contactId) ?? 0) + 1);
  return proposals.filter((proposal) => wanted.get(proposal.contactId) === 1);
}

/** Pairs a Splynx customer with an existing Zoho contact: a manual link, so the customer is never created in Zoho. */
export async function pairCustomer(tx: Db, input: { tenantId: string; splynxId: string; label: string; contactId: string }) {
  const existing = (await linksFor(tx, { tenantId: input.tenantId, entity: "customer", splynxIds: [input.splynxId] })).get(input.splynxId);
  if (existing?.zohoId) throw new DomainError("CONFLICT", existing.manual ? "This customer is already paired; unpair it first." : `This customer is already synced to Zoho contact ${existing.zohoId}.`);
  const [holder] = await linksHolding(tx, { tenantId: input.tenantId, contactIds: [input.contactId] });
  if (holder) throw new DomainError("CONFLICT", `That Zoho contact already belongs to Splynx customer ${holder.splynxId}.`);
  await writeLink(tx, { tenantId: input.tenantId, entity: "customer", splynxId: input.splynxId, state: "synced", zohoId: input.contactId, fingerprint: null, manual: true, label: input.label });
}
