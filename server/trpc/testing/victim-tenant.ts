// A tenant with real data to leak (runs, links, indexed records, entries, members, an invitation, cached contacts,
// mappings, settings, audit), each carrying a marker no other tenant has; and what it holds, read straight from the DB.
import { randomInt, randomUUID } from "node:crypto";
import type { Db } from "@/db/client";
import { listAudit } from "@/db/queries/audit";
import { listOpenInvitations } from "@/db/queries/invitations";
import { listMappings, listReference, replaceReferenceData, saveMappings } from "@/db/queries/mapping";
import { cachedContacts, replaceContactsCache } from "@/db/queries/pairing";
import { claimRun, createRun, finishRun, getRun, listRuns, recordProgress } from "@/db/queries/runs";
import { listRecords, upsertIndexRows } from "@/db/queries/splynx-index";
import { addEntries, getSettingsRow, listEntries, listLinks, writeLink } from "@/db/queries/sync";
import { findMembership, listMembers } from "@/db/queries/tenants";
import { getZohoConnection } from "@/db/queries/zoho";
import { getSplynxConnection } from "@/db/queries/splynx";
import { makeMember } from "@/db/testing/fixtures";
import { sandboxTenant } from "@/server/zoho/testing/sandbox-tenant";

const NO_COUNTS = { created: 0, updated: 0, unchanged: 0, skipped: 0, failed: 0, held: 0 };

export async function victimTenant(db: Db) {
  const mark = randomUUID().slice(0, 8);
  // Zoho ids are long digit strings; these are this tenant's alone.
  const serial = String(randomInt(100_000_000, 999_999_999));
  const { person: owner, tenant, caller } = await sandboxTenant(db);
  const name = `Victim ISP ${mark}`;
  await caller.tenants.rename({ tenantSlug: tenant.slug, name });

  const member = await makeMember(db, {
    tenantId: tenant.id,
    invitedBy: owner.id,
    role: "admin",
    label: `victim-member-${mark}`,
  });
  const invitedEmail = `victim-guest-${mark}@example.test`;
  await caller.members.invite({ tenantSlug: tenant.slug, email: invitedEmail, role: "viewer" });
  const [invitation] = await listOpenInvitations(db, { tenantId: tenant.id });
  const memberships = await listMembers(db, { tenantId: tenant.id });

  // In the Zoho organization and under the Splynx ids another tenant on the same sandboxes has too.
  const { organizationId } = (await getZohoConnection(db, { tenantId: tenant.id }))!;
  const contactId = `7700${serial}000003`;
  const links = {
    synced: { splynxId: "7", zohoId: `8800${serial}000001`, label: `Victim Customer ${mark}` },
    failed: { splynxId: "8", message: `victim-link-failure-${mark}`, label: `Victim Failing ${mark}` },
    manual: { splynxId: "9", zohoId: `8800${serial}000002`, label: `Victim Paired ${mark}` },
    held: { splynxId: "10", label: `Victim Held ${mark}` },
  };
  const customer = { tenantId: tenant.id, entity: "customer" as const, organizationId };
  // Records lists the index joined to the links: each linked customer is indexed too, under its marked name.
  const indexed = Object.values(links).map(({ splynxId, label }) => ({ entity: "customer" as const, splynxId, label }));
  await upsertIndexRows(db, { tenantId: tenant.id, rows: indexed, seenAt: new Date() });
  await writeLink(db, {
    ...customer,
    splynxId: links.synced.splynxId,
    state: "synced",
    zohoId: links.synced.zohoId,
    label: links.synced.label,
  });
  await writeLink(db, {
    ...customer,
    splynxId: links.failed.splynxId,
    state: "failed",
    message: links.failed.message,
    label: links.failed.label,
  });
  await writeLink(db, {
    ...customer,
    splynxId: links.manual.splynxId,
    state: "synced",
    zohoId: links.manual.zohoId,
    label: links.manual.label,
    manual: true,
  });
  await writeLink(db, {
    ...customer,
    splynxId: links.held.splynxId,
    state: "held",
    candidateId: contactId,
    label: links.held.label,
  });

  const finished = await createRun(db, {
    tenantId: tenant.id,
    trigger: "manual",
    requestedBy: owner.id,
    entities: ["customer"],
  });
  await claimRun(db, { tenantId: tenant.id, runId: finished.id });
  await recordProgress(db, {
    tenantId: tenant.id,
    runId: finished.id,
    counts: { ...NO_COUNTS, created: 1, failed: 1 },
    zohoCalls: 3,
    done: 2,
    total: 2,
    step: "customers",
  });
  const entryMessage = `victim-entry-${mark}`;
  await addEntries(db, {
    tenantId: tenant.id,
    runId: finished.id,
    entries: [
      { entity: "customer", splynxId: links.synced.splynxId, action: "created" },
      { entity: "customer", splynxId: links.failed.splynxId, action: "failed", message: entryMessage },
    ],
  });
  const runError = `victim-run-error-${mark}`;
  await finishRun(db, { tenantId: tenant.id, runId: finished.id, status: "failed", error: runError });
  // Running, its worker's lease live: the run a cancel would reach.
  const active = await createRun(db, {
    tenantId: tenant.id,
    trigger: "schedule",
    requestedBy: null,
    entities: ["customer"],
  });
  await claimRun(db, { tenantId: tenant.id, runId: active.id });
  await recordProgress(db, {
    tenantId: tenant.id,
    runId: active.id,
    counts: NO_COUNTS,
    zohoCalls: 0,
    done: 0,
    total: 40,
    step: "customers",
  });

  const contact = {
    contactId,
    name: `Victim Contact ${mark}`,
    email: `victim-contact-${mark}@example.test`,
    companyName: `Victim Company ${mark}`,
  };
  await db.transaction((tx) =>
    replaceContactsCache(tx, { tenantId: tenant.id, contacts: [contact], loadedAt: new Date() }),
  );

  const reference = {
    splynxTax: {
      kind: "splynx_tax" as const,
      externalId: "901",
      name: `Victim Splynx Tax ${mark}`,
      details: { percentage: "20", used: true },
    },
    zohoTax: {
      kind: "zoho_tax" as const,
      externalId: "99001",
      name: `Victim Zoho Tax ${mark}`,
      details: { percentage: "20" },
    },
  };
  await db.transaction(async (tx) => {
    await replaceReferenceData(tx, { tenantId: tenant.id, records: Object.values(reference), loadedAt: new Date() });
    await saveMappings(tx, { tenantId: tenant.id, kind: "tax", entries: [{ splynxId: "901", zohoValue: "99001" }] });
  });
  const namePattern = `{name} victim-pattern-${mark}`;
  const { settings } = await caller.settings.get({ tenantSlug: tenant.slug });
  await caller.settings.save({
    tenantSlug: tenant.slug,
    settings: { ...settings, customers: { ...settings.customers, namePattern } },
  });

  return {
    tenant: { ...tenant, name },
    owner,
    member,
    caller,
    ids: {
      finishedRunId: finished.id,
      activeRunId: active.id,
      ownerMembershipId: memberships.find((row) => row.personId === owner.id)!.membershipId,
      memberMembershipId: memberships.find((row) => row.personId === member.id)!.membershipId,
      invitationId: invitation!.id,
      contactId: contact.contactId,
      organizationId: organizationId!,
      referenceSplynxId: reference.splynxTax.externalId,
      links,
    },
    /** Strings only this tenant's data holds: any of them in another tenant's answer is a leak. */
    markers: [
      name,
      tenant.slug,
      tenant.id,
      owner.email,
      member.email,
      invitedEmail,
      finished.id,
      active.id,
      runError,
      entryMessage,
      links.synced.label,
      links.synced.zohoId,
      links.failed.label,
      links.failed.message,
      links.manual.label,
      links.manual.zohoId,
      links.held.label,
      contact.contactId,
      contact.name,
      contact.email,
      contact.companyName,
      reference.splynxTax.name,
      reference.zohoTax.name,
      namePattern,
    ],
  };
}

export type Victim = Awaited<ReturnType<typeof victimTenant>>;

/** Everything the tenant holds, read straight from the database, to compare before and after an attack. */
export async function holdings(db: Db, victim: Victim) {
  const tenantId = victim.tenant.id;
  return {
    tenant: await findMembership(db, { slug: victim.tenant.slug, personId: victim.owner.id }),
    members: await listMembers(db, { tenantId }),
    invitations: await listOpenInvitations(db, { tenantId }),
    runs: await listRuns(db, { tenantId, limit: 100 }),
    activeRun: await getRun(db, { tenantId, runId: victim.ids.activeRunId }),
    entries: await listEntries(db, { tenantId, runId: victim.ids.finishedRunId, limit: 100 }),
    links: await listLinks(db, { tenantId, entity: "customer", limit: 100 }),
    records: await listRecords(db, { tenantId, entity: "customer", limit: 100 }),
    contacts: await cachedContacts(db, tenantId),
    reference: await listReference(db, { tenantId }),
    mappings: await listMappings(db, { tenantId }),
    settings: await getSettingsRow(db, tenantId),
    audit: await listAudit(db, { tenantId, limit: 200 }),
    splynx: await getSplynxConnection(db, { tenantId }),
    zoho: await getZohoConnection(db, { tenantId }),
  };
}
