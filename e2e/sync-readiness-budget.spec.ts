// A new ISP on the Sync page: the buttons refuse before setup and say why, with a link to the fix (and the API refuses
// too); once connected, a customer sync runs and the Zoho API budget page shows today's calls.
import { expect, test } from "@playwright/test";
import { callApi, connectSandboxSplynx, connectSandboxZoho, createTenant, signUp, uniqueEmail } from "./helpers";

test("the sync refuses before setup, then runs, and the budget page counts its Zoho calls", async ({ page }) => {
  test.setTimeout(90_000);
  await signUp(page, { name: "Rita Ready", email: uniqueEmail("rita") });
  const slug = await createTenant(page, "Readiness ISP");

  await page.goto(`/t/${slug}/sync`);
  await expect(page.getByRole("button", { name: "Sync customers" })).toBeDisabled();
  await expect(page.getByRole("button", { name: "Everything in order" })).toBeDisabled();
  const blocker = page.getByTestId("sync-blocker");
  await expect(blocker).toHaveCount(1);
  await expect(blocker).toContainText("Can't sync customers, invoices");
  await expect(blocker).toContainText("yet: Splynx is not connected.");
  await expect(blocker.getByRole("link", { name: "Connect Splynx" })).toHaveAttribute(
    "href",
    `/t/${slug}/connections/splynx`,
  );
  const refused = await callApi(page, "sync.start", "mutation", { tenantSlug: slug, entities: ["customer"] });
  expect(refused.status, refused.body).toBe(400);
  expect(JSON.parse(refused.body).error.json.message).toBe(
    "Can't sync customers yet: Splynx is not connected. Connect Splynx first.",
  );

  await connectSandboxSplynx(page, slug);
  await connectSandboxZoho(page, slug, "Demo ISP Ltd");
  await page.goto(`/t/${slug}/sync`);
  // Customers need only the connections; documents and payments also need the mapping data.
  await expect(blocker).toHaveCount(1);
  await expect(blocker).toContainText("The mapping data is not loaded");
  await expect(blocker.getByRole("link", { name: "Load and map it" })).toHaveAttribute("href", `/t/${slug}/mapping`);
  await expect(page.getByRole("button", { name: "Sync invoices" })).toBeDisabled();
  await expect(page.getByRole("button", { name: "Import all payments" })).toBeDisabled();

  await page.getByRole("button", { name: "Sync customers" }).click();
  await expect(page.getByText("succeeded", { exact: true })).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId("run-counts")).toContainText("failed0");
  const runCalls = Number(/^(\d+)/.exec((await page.getByText(/^\d+ Zoho calls$/).textContent())!)![1]);
  expect(runCalls).toBeGreaterThan(0);

  await page.getByRole("navigation", { name: "Tenant" }).getByRole("link", { name: "Zoho API budget" }).click();
  await expect(page.getByRole("heading", { name: "Zoho API budget" })).toBeVisible();
  // The sandbox organization is shared with other journeys on this server: today counts at least this run's calls.
  const today = Number((await page.getByTestId("calls-today").textContent())!.replaceAll(",", ""));
  expect(today).toBeGreaterThanOrEqual(runCalls);
  await expect(page.getByRole("img", { name: "Zoho calls per day over the last 30 days" })).toBeVisible();
  await expect(page.getByRole("img", { name: "Records created, updated and failed by runs per day" })).toBeVisible();
});
