// Sync customers on the sandbox: live progress, Zoho ids on the records, the run and its entries in the sync log.
import { expect, test } from "@playwright/test";
import { connectSandboxSplynx, connectSandboxZoho, createTenant, signUp, uniqueEmail } from "./helpers";

test("sync customers, follow the progress, and find every result in records and the log", async ({ page }) => {
  test.setTimeout(120_000);
  await signUp(page, { name: "Sam Sync", email: uniqueEmail("sam") });
  const slug = await createTenant(page, "Sync Test ISP");
  await connectSandboxSplynx(page, slug);
  await connectSandboxZoho(page, slug, "Demo ISP Holdings");

  await page.getByRole("navigation", { name: "Tenant" }).getByRole("link", { name: "Sync", exact: true }).click();
  await page.getByRole("button", { name: "Sync customers" }).click();
  await expect(page.getByRole("button", { name: "Sync customers" })).toBeDisabled();
  await expect(page.getByText("running", { exact: true }).or(page.getByText("succeeded", { exact: true }))).toBeVisible();
  await expect(page.getByText("succeeded", { exact: true })).toBeVisible({ timeout: 90_000 });
  await expect(page.getByTestId("run-progress")).toHaveText("250 of 250 records");
  const counts = page.getByTestId("run-counts");
  await expect(counts).toContainText("created250");
  await expect(counts).toContainText("failed0");

  await page.getByRole("navigation", { name: "Tenant" }).getByRole("link", { name: "Records · Customers" }).click();
  const firstZohoLink = page.getByRole("link", { name: /^\d{19}$/ }).first();
  await expect(firstZohoLink).toBeVisible();
  await page.getByLabel("State").selectOption("failed");
  await expect(page.getByText("No records match.")).toBeVisible();
  await page.getByLabel("State").selectOption("synced");
  const href = await firstZohoLink.getAttribute("href");
  expect(href).toMatch(/^\/sandbox\/zoho\/app\/\d+\/contacts\/\d{19}$/);
  const contactPage = await page.request.get(href!);
  expect(await contactPage.text()).toContain("Demo ISP Holdings · contacts");

  await page.getByRole("navigation", { name: "Tenant" }).getByRole("link", { name: "Sync log" }).click();
  await expect(page.getByRole("cell", { name: "manual" }).first()).toBeVisible();
  await expect(page.getByRole("cell", { name: "created" }).first()).toBeVisible();
  const csvHref = await page.getByRole("link", { name: "Export CSV" }).getAttribute("href");
  const csv = await page.request.get(csvHref!);
  expect(csv.headers()["content-type"]).toContain("text/csv");
  const lines = (await csv.text()).trim().split("\n");
  expect(lines[0]).toBe("time,entity,splynx_id,action,message");
  expect(lines).toHaveLength(251);

  // Nothing changed: a second run creates nothing and spends no Zoho call.
  await page.getByRole("navigation", { name: "Tenant" }).getByRole("link", { name: "Sync", exact: true }).click();
  await page.getByRole("button", { name: "Sync customers" }).click();
  await expect(counts).toContainText("unchanged250", { timeout: 30_000 });
  await expect(page.getByText("0 Zoho calls")).toBeVisible();
});
