// Customer pairing (SPEC §5): load Zoho customers, list Splynx customers with their state, search, pair, unpair,
// suggestions, and the customers the sync held for review (SPEC §6 "Never duplicate what Zoho already holds").
import { z } from "zod";
import { recordAudit } from "@/db/queries/audit";
import {
  cacheSummary,
  cachedContacts,
  cachedContactsByIds,
  deleteManualLink,
  findCachedContact,
  replaceContactsCache,
  searchContacts,
  type CachedContact,
} from "@/db/queries/pairing";
import type { Db } from "@/db/client";
import { confirmCreate, linksFor } from "@/db/queries/sync";
import { getZohoConnection } from "@/db/queries/zoho";
import { DomainError } from "@/server/errors";
import { splynxClientForTenant } from "@/server/splynx/connect";
import {
  heldContacts,
  linksOf,
  pairCustomer,
  PAIRING_STATES,
  pairingRows,
  pairingSuggestions,
  type PairingCustomer,
} from "@/server/sync/pairing";
import { booksClientForTenant } from "@/server/zoho/connection";
import { router, tenantProcedure } from "../init";

async function splynxCustomers(db: Db, tenantId: string): Promise<PairingCustomer[]> {
  const splynx = await splynxClientForTenant(db, tenantId);
  const customers: PairingCustomer[] = [];
  for await (const page of splynx.pages("customers"))
    customers.push(
      ...page.records.map((customer) => ({
        splynxId: String(customer.id),
        name: customer.name,
        email: customer.email,
      })),
    );
  return customers;
}

/** The Splynx customers with the links of the tenant's current Zoho organization (none when none is chosen). */
async function customersWithLinks(db: Db, tenantId: string) {
  const [customers, connection] = await Promise.all([
    splynxCustomers(db, tenantId),
    getZohoConnection(db, { tenantId }),
  ]);
  const organizationId = connection?.organizationId ?? null;
  const links = linksOf(
    await linksFor(db, { tenantId, entity: "customer", splynxIds: customers.map((customer) => customer.splynxId) }),
    organizationId,
  );
  return { customers, links, organizationId };
}

async function suggestionsFor(db: Db, tenantId: string) {
  const [{ customers, links, organizationId }, contacts] = await Promise.all([
    customersWithLinks(db, tenantId),
    cachedContacts(db, tenantId),
  ]);
  if (!organizationId) return [];
  return pairingSuggestions(customers, contacts, links, heldContacts(links));
}

async function currentOrganization(db: Db, tenantId: string): Promise<string> {
  const organizationId = (await getZohoConnection(db, { tenantId }))?.organizationId;
  if (!organizationId)
    throw new DomainError("BAD_REQUEST", "Choose the Zoho organization first (Zoho Books connection).");
  return organizationId;
}

const splynxId = z.string().regex(/^\d{1,20}$/, "Not a Splynx id");
const pairInput = z.object({ splynxId, contactId: z.string().regex(/^\d{1,30}$/, "Not a Zoho contact id") });

export const pairingRouter = router({
  summary: tenantProcedure("viewer").query(({ ctx }) => cacheSummary(ctx.db, ctx.tenant.id)),

  load: tenantProcedure("admin").mutation(async ({ ctx }) => {
    const books = await booksClientForTenant(ctx.db, ctx.tenant.id);
    const contacts: CachedContact[] = [];
    for await (const page of books.customers())
      contacts.push(
        ...page.map((contact) => ({
          contactId: String(contact.contact_id),
          name: String(contact.contact_name),
          email: String(contact.email ?? ""),
          companyName: String(contact.company_name ?? ""),
        })),
      );
    await ctx.db.transaction(async (tx) => {
      await replaceContactsCache(tx, { tenantId: ctx.tenant.id, contacts, loadedAt: new Date() });
      await recordAudit(tx, {
        tenantId: ctx.tenant.id,
        actor: ctx.actor,
        action: "pairing.load",
        details: { contacts: contacts.length },
      });
    });
    return { contacts: contacts.length };
  }),

  /** One page of the Splynx customers that match, with how many match in all; a linked one with its Zoho name. */
  customers: tenantProcedure("viewer")
    .input(
      z.object({
        text: z.string().trim().max(100).optional(),
        state: z.enum(PAIRING_STATES).optional(),
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(500).default(200),
      }),
    )
    .query(async ({ ctx, input }) => {
      const tenantId = ctx.tenant.id;
      const { customers, links } = await customersWithLinks(ctx.db, tenantId);
      const candidateIds = [...links.values()]
        .map((link) => (link.state === "held" ? link.candidateId : null))
        .filter((id): id is string => Boolean(id));
      const candidates = await cachedContactsByIds(ctx.db, { tenantId, contactIds: candidateIds });
      const text = input.text?.toLowerCase();
      const matching = pairingRows(
        customers,
        links,
        new Map(candidates.map((contact) => [contact.contactId, contact])),
      ).filter(
        (row) =>
          (!input.state || row.state === input.state) &&
          (!text ||
            row.name.toLowerCase().includes(text) ||
            row.email.toLowerCase().includes(text) ||
            row.splynxId === text),
      );
      const page = matching.slice(input.offset, input.offset + input.limit);
      const linkedIds = page.map((row) => row.zohoId).filter((id): id is string => id !== null);
      const names = new Map(
        (await cachedContactsByIds(ctx.db, { tenantId, contactIds: linkedIds })).map((contact) => [
          contact.contactId,
          contact.name,
        ]),
      );
      return {
        rows: page.map((row) => ({ ...row, zohoName: row.zohoId ? (names.get(row.zohoId) ?? null) : null })),
        matching: matching.length,
        total: customers.length,
        offset: input.offset,
      };
    }),

  search: tenantProcedure("viewer")
    .input(z.object({ text: z.string().trim().min(1).max(100) }))
    .query(({ ctx, input }) => searchContacts(ctx.db, { tenantId: ctx.tenant.id, text: input.text, limit: 20 })),

  suggestions: tenantProcedure("viewer").query(({ ctx }) => suggestionsFor(ctx.db, ctx.tenant.id)),

  pair: tenantProcedure("admin")
    .input(pairInput.extend({ label: z.string().max(300) }))
    .mutation(async ({ ctx, input }) => {
      const organizationId = await currentOrganization(ctx.db, ctx.tenant.id);
      const contact = await findCachedContact(ctx.db, { tenantId: ctx.tenant.id, contactId: input.contactId });
      if (!contact)
        throw new DomainError(
          "NOT_FOUND",
          "That Zoho contact is not among the loaded Zoho customers; load them again.",
          "contactId",
        );
      await ctx.db.transaction(async (tx) => {
        await pairCustomer(tx, {
          tenantId: ctx.tenant.id,
          organizationId,
          splynxId: input.splynxId,
          label: input.label,
          contactId: input.contactId,
        });
        await recordAudit(tx, {
          tenantId: ctx.tenant.id,
          actor: ctx.actor,
          action: "pairing.pair",
          target: `${input.label} (${input.splynxId})`,
          details: { zohoContact: `${contact.name} (${contact.contactId})` },
        });
      });
    }),

  /** A held customer is not the Zoho contact it matched: the next run creates it in Zoho. */
  createNew: tenantProcedure("admin")
    .input(z.object({ splynxId, label: z.string().max(300) }))
    .mutation(({ ctx, input }) =>
      ctx.db.transaction(async (tx) => {
        const held = (
          await linksFor(tx, { tenantId: ctx.tenant.id, entity: "customer", splynxIds: [input.splynxId] })
        ).get(input.splynxId);
        if (!(await confirmCreate(tx, { tenantId: ctx.tenant.id, entity: "customer", splynxId: input.splynxId })))
          throw new DomainError("NOT_FOUND", "This customer is not held for review (any more); reload the list.");
        await recordAudit(tx, {
          tenantId: ctx.tenant.id,
          actor: ctx.actor,
          action: "pairing.create_new",
          target: `${input.label} (${input.splynxId})`,
          details: { matchedZohoContact: held?.candidateId ?? "several" },
        });
      }),
    ),

  unpair: tenantProcedure("admin")
    .input(z.object({ splynxId }))
    .mutation(({ ctx, input }) =>
      ctx.db.transaction(async (tx) => {
        const removed = await deleteManualLink(tx, { tenantId: ctx.tenant.id, splynxId: input.splynxId });
        if (!removed) throw new DomainError("NOT_FOUND", "This customer is not paired by hand.");
        await recordAudit(tx, {
          tenantId: ctx.tenant.id,
          actor: ctx.actor,
          action: "pairing.unpair",
          target: `${removed.label ?? ""} (${input.splynxId})`,
          details: { zohoContact: removed.zohoId },
        });
      }),
    ),

  /** Pairs the suggestions the person saw in the preview (held customers among them), still checked against the current state. */
  acceptSuggestions: tenantProcedure("admin")
    .input(z.object({ pairs: z.array(pairInput).max(5000) }))
    .mutation(async ({ ctx, input }) => {
      const organizationId = await currentOrganization(ctx.db, ctx.tenant.id);
      const current = new Map(
        (await suggestionsFor(ctx.db, ctx.tenant.id)).map((suggestion) => [
          `${suggestion.splynxId}:${suggestion.contactId}`,
          suggestion,
        ]),
      );
      const accepted = input.pairs
        .map((pair) => current.get(`${pair.splynxId}:${pair.contactId}`))
        .filter((suggestion) => suggestion !== undefined);
      await ctx.db.transaction(async (tx) => {
        for (const suggestion of accepted)
          await pairCustomer(tx, {
            tenantId: ctx.tenant.id,
            organizationId,
            splynxId: suggestion.splynxId,
            label: suggestion.customerName,
            contactId: suggestion.contactId,
          });
        await recordAudit(tx, {
          tenantId: ctx.tenant.id,
          actor: ctx.actor,
          action: "pairing.accept_suggestions",
          details: { paired: accepted.length, held: accepted.filter((suggestion) => suggestion.held).length },
        });
      });
      return { paired: accepted.length, stale: input.pairs.length - accepted.length };
    }),
});
