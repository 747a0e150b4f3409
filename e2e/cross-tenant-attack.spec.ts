// An attacker who belongs to tenant A calls every tenant procedure with tenant B's slug and ids from the browser.
import { expect, test } from "@playwright/test";
import { tenantProcedures } from "@/server/trpc/tenant-procedures";
import { callApi, createTenant, signIn, signOut, signUp, uniqueEmail } from "./helpers";

test("a member of one tenant can reach nothing of another", async ({ page }) => {
  const victim = { name: "Beatrice Victim", email: uniqueEmail("beatrice") };
  await signUp(page, victim);
  const victimSlug = await createTenant(page, "Victim Broadband");
  await callApi(page, "members.invite", "mutation", {
    tenantSlug: victimSlug,
    email: "victim-guest@example.test",
    role: "admin",
  });
  const victimMembers = JSON.parse((await callApi(page, "members.list", "query", { tenantSlug: victimSlug })).body)
    .result.data.json as { membershipId: string }[];
  const victimInvitations = JSON.parse(
    (await callApi(page, "members.invitations", "query", { tenantSlug: victimSlug })).body,
  ).result.data.json as { id: string }[];
  const victimIds = { membershipId: victimMembers[0]!.membershipId, invitationId: victimInvitations[0]!.id };
  await signOut(page);

  await signUp(page, { name: "Mallory Attacker", email: uniqueEmail("mallory") });
  const attackerSlug = await createTenant(page, "Attacker Net");
  const secrets = [
    /Victim Broadband/,
    /beatrice-/,
    /victim-guest/,
    new RegExp(victimIds.membershipId),
    new RegExp(victimIds.invitationId),
  ];

  const procedures = tenantProcedures();
  expect(procedures.length).toBeGreaterThan(5);
  for (const { path, type } of procedures) {
    const bait = {
      ...victimIds,
      name: "Pwned",
      email: "mallory2@example.test",
      role: "owner",
      confirmation: victimSlug,
    };
    for (const input of [
      { ...bait, tenantSlug: victimSlug },
      { ...bait, tenantSlug: attackerSlug, confirmation: "wrong" },
    ]) {
      const result = await callApi(page, path, type, input);
      for (const secret of secrets) expect(result.body, `${path} leaked ${secret}`).not.toMatch(secret);
      if (input.tenantSlug === victimSlug) expect(result.status, `${path} on the victim's slug`).toBe(404);
    }
  }

  // The victim's tenant is intact.
  await signOut(page);
  await signIn(page, victim.email);
  await expect(page.getByRole("heading", { name: "Victim Broadband" })).toBeVisible();
  const members = JSON.parse((await callApi(page, "members.list", "query", { tenantSlug: victimSlug })).body).result
    .data.json as { role: string }[];
  expect(members).toEqual([expect.objectContaining({ role: "owner" })]);
  const invitations = JSON.parse((await callApi(page, "members.invitations", "query", { tenantSlug: victimSlug })).body)
    .result.data.json as unknown[];
  expect(invitations).toHaveLength(1);
});
