// An admin connects the sandbox Splynx and reads the permission report; a viewer sees no secret; private URLs are refused.
import { expect, test } from "@playwright/test";
import { callApi, createTenant, expectStatus, inviteLink, joinByInvite, signOut, signUp, uniqueEmail } from "./helpers";

test("connect Splynx, test it, and keep its secret from viewers and its requests off private addresses", async ({
  page,
}) => {
  await signUp(page, { name: "Ada Admin", email: uniqueEmail("ada") });
  const slug = await createTenant(page, "Splynx Test ISP");
  await page.getByRole("navigation", { name: "Tenant" }).getByRole("link", { name: "Splynx connection" }).click();

  // The guard is on (production): a private address and plain http are refused on the field.
  await page.getByLabel("Splynx URL").fill("https://192.168.1.10");
  await page.getByLabel("API key").fill("key");
  await page.getByLabel("API secret").fill("secret");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText("192.168.1.10 is not a public address.")).toBeVisible();
  await page.getByLabel("Splynx URL").fill("http://isp.example.com");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText("Only https:// URLs are allowed.")).toBeVisible();

  // The sandbox's details, as the screen offers them.
  const details = page.getByTestId("sandbox-details");
  const detail = async (label: string) =>
    ((await details.getByText(`${label}:`).textContent()) ?? "").split(": ")[1]!.trim();
  const sandboxUrl = await detail("URL");
  await page.getByLabel("Splynx URL").fill(sandboxUrl);
  await page.getByLabel("API key").fill(await detail("Read-only key"));
  await page.getByLabel("API secret").fill(await detail("Read-only secret"));
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText("Saved. Test the connection to check the permissions.")).toBeVisible();
  await page.getByRole("button", { name: "Test connection" }).click();
  const report = page.getByRole("list", { name: "Connection checks" });
  await expect(page.getByText("Something is missing")).toBeVisible();
  await expect(report.getByRole("listitem").filter({ hasText: "Create payments" })).toContainText(
    "The API key lacks this permission.",
  );
  await expect(report.getByRole("listitem").filter({ hasText: "Read invoices" })).toContainText("yes");

  await page.getByLabel("API key").fill(await detail("Full key"));
  await page.getByLabel("API secret").fill(await detail("Full secret"));
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText("Stored: ••••full")).toBeVisible();
  await page.getByRole("button", { name: "Test connection" }).click();
  await expect(page.getByText("All checks passed")).toBeVisible();
  await expect(report.getByRole("listitem")).toHaveCount(11);
  const fullSecret = await detail("Full secret");

  const viewer = { name: "Vera Viewer", email: uniqueEmail("vera") };
  const link = await inviteLink(page, slug, viewer.email, "viewer");
  await signOut(page);
  await joinByInvite(page, link, viewer);
  await page.goto(`/t/${slug}/connections/splynx`);
  await expect(page.getByTestId("splynx-url")).toHaveText(sandboxUrl);
  await expect(page.getByText("Only admins see or change the API credentials.")).toBeVisible();
  await expect(page.getByLabel("API secret")).toHaveCount(0);
  await expect(page.getByTestId("sandbox-details")).toHaveCount(0);
  const seen = await callApi(page, "splynx.connection", "query", { tenantSlug: slug });
  expect(seen.body).not.toContain(fullSecret.slice(-4));
  expect(JSON.parse(seen.body).result.data.json).toMatchObject({ apiKey: null, apiSecret: null });
  await expectStatus(
    await callApi(page, "splynx.save", "mutation", {
      tenantSlug: slug,
      baseUrl: "https://evil.example.com",
      authMode: "signature",
      apiSecret: "x",
    }),
    403,
    "FORBIDDEN",
  );
  await expectStatus(await callApi(page, "splynx.sandbox", "query", { tenantSlug: slug }), 403, "FORBIDDEN");
  await expectStatus(await callApi(page, "splynx.test", "mutation", { tenantSlug: slug }), 403, "FORBIDDEN");
});
