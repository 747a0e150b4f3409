// A newcomer creates a tenant and invites a viewer, who joins and is refused every admin action, in the UI and at the API.
import { expect, test } from "@playwright/test";
import {
  callApi,
  createTenant,
  expectStatus,
  inviteLink,
  joinByInvite,
  signIn,
  signOut,
  signUp,
  uniqueEmail,
} from "./helpers";

test("a viewer joins by invitation and can't act as an admin", async ({ page }) => {
  const owner = { name: "Olivia Owner", email: uniqueEmail("olivia") };
  const viewer = { name: "Victor Viewer", email: uniqueEmail("victor") };

  await signUp(page, owner);
  await expect(page).toHaveURL(/\/tenants\/new$/);
  const slug = await createTenant(page, "Fibre Nørth ISP");
  expect(slug).toBe("fibre-north-isp");

  const link = await inviteLink(page, slug, viewer.email, "viewer");
  expect(link).toContain("/invite/");
  await expect(page.getByRole("cell", { name: viewer.email })).toBeVisible();
  await signOut(page);

  await page.goto(link);
  await expect(page.getByRole("heading", { name: "Join Fibre Nørth ISP" })).toBeVisible();
  await joinByInvite(page, link, viewer);
  await expect(page).toHaveURL(new RegExp(`/t/${slug}$`));
  await expect(page.getByRole("heading", { name: "Fibre Nørth ISP" })).toBeVisible();
  await expect(page.getByTestId("member-count")).toHaveText("2");

  // The UI offers no admin action to a viewer.
  const nav = page.getByRole("navigation", { name: "Tenant" });
  await expect(nav.getByRole("link", { name: "Audit log" })).toHaveCount(0);
  await expect(nav.getByRole("link", { name: "Workspace settings" })).toHaveCount(0);
  await nav.getByRole("link", { name: "Members" }).click();
  await expect(page.getByRole("cell", { name: owner.email })).toBeVisible();
  await expect(page.getByRole("button", { name: "Create invite link" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Remove" })).toHaveCount(0);
  await expect(page.getByRole("combobox", { name: /Role of/ })).toHaveCount(0);
  await page.goto(`/t/${slug}/audit`);
  await expect(page.getByText("The audit log is for owners and admins; you are a viewer.")).toBeVisible();
  await page.goto(`/t/${slug}/tenant`);
  await expect(page.getByText("Only owners can rename or delete this ISP workspace; you are a viewer.")).toBeVisible();

  // The API refuses the same actions from the viewer's own session.
  const members = JSON.parse((await callApi(page, "members.list", "query", { tenantSlug: slug })).body).result.data
    .json as { membershipId: string; email: string }[];
  const ownerMembership = members.find((member) => member.email === owner.email)!.membershipId;
  await expectStatus(
    await callApi(page, "members.invite", "mutation", { tenantSlug: slug, email: "x@example.test", role: "owner" }),
    403,
    "FORBIDDEN",
  );
  await expectStatus(
    await callApi(page, "members.changeRole", "mutation", {
      tenantSlug: slug,
      membershipId: ownerMembership,
      role: "viewer",
    }),
    403,
    "FORBIDDEN",
  );
  await expectStatus(
    await callApi(page, "members.remove", "mutation", { tenantSlug: slug, membershipId: ownerMembership }),
    403,
    "FORBIDDEN",
  );
  await expectStatus(await callApi(page, "members.invitations", "query", { tenantSlug: slug }), 403, "FORBIDDEN");
  await expectStatus(
    await callApi(page, "tenants.rename", "mutation", { tenantSlug: slug, name: "Taken over" }),
    403,
    "FORBIDDEN",
  );
  await expectStatus(
    await callApi(page, "tenants.delete", "mutation", { tenantSlug: slug, confirmation: slug }),
    403,
    "FORBIDDEN",
  );
  await expectStatus(await callApi(page, "audit.list", "query", { tenantSlug: slug }), 403, "FORBIDDEN");

  // Nothing changed: the owner still owns the tenant under its name.
  await signOut(page);
  await signIn(page, owner.email);
  await expect(page.getByRole("heading", { name: "Fibre Nørth ISP" })).toBeVisible();
  await page.goto(`/t/${slug}/audit`);
  await expect(page.getByRole("cell", { name: "member.join" })).toBeVisible();
});
