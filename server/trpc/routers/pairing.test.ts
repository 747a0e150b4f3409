// Pairing against both sandboxes: suggestions, accept all, pair by hand, unpair, and a paired customer never created.
import { describe, expect, it } from "vitest";
import { useTestDatabase } from "@/db/testing/test-database";
import { sandboxZoho } from "@/server/sandbox";
import { sandboxTenant } from "@/server/zoho/testing/sandbox-tenant";

const database = useTestDatabase();

describe("pairing", () => {
  it("suggests by e-mail, pairs by hand and by suggestion, refuses double pairs, and unpairs", async () => {
    const { tenant, caller } = await sandboxTenant(database.db);
    const tenantSlug = tenant.slug;
    expect(await caller.pairing.load({ tenantSlug })).toEqual({ contacts: [...[...sandboxZoho().store.organizations.values()][0]!.contacts.values()].filter((contact) => contact.contact_type === "customer").length });

    const suggestions = await caller.pairing.suggestions({ tenantSlug });
    expect(suggestions.length).toBeGreaterThan(10);
    expect(suggestions.every((suggestion) => suggestion.reason === "same e-mail")).toBe(true);

    const [byHand, ...rest] = suggestions;
    const [found] = await caller.pairing.search({ tenantSlug, text: byHand!.contactName });
    await caller.pairing.pair({ tenantSlug, splynxId: byHand!.splynxId, contactId: found!.contactId, label: byHand!.customerName });
    await expect(caller.pairing.pair({ tenantSlug, splynxId: rest[0]!.splynxId, contactId: found!.contactId, label: "x" })).rejects.toThrow(`already belongs to Splynx customer ${byHand!.splynxId}`);

    const accepted = await caller.pairing.acceptSuggestions({ tenantSlug, pairs: suggestions.map(({ splynxId, contactId }) => ({ splynxId, contactId })) });
    expect(accepted).toEqual({ paired: rest.length, stale: 1 });
    const paired = await caller.pairing.customers({ tenantSlug, state: "paired" });
    expect(paired).toHaveLength(suggestions.length);
    expect(await caller.pairing.suggestions({ tenantSlug })).toEqual([]);

    await caller.pairing.unpair({ tenantSlug, splynxId: byHand!.splynxId });
    expect((await caller.pairing.customers({ tenantSlug, text: byHand!.splynxId }))[0]).toMatchObject({ state: "not_paired" });
  });
});
