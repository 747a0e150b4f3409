// Settings, a customer paired by hand, then a sync on the sandbox: progress, Zoho ids on the records, the run in the log.
import { expect, test } from "@playwright/test";
import { connectSandboxSplynx, connectSandboxZoho, createTenant, signUp, uniqueEmail } from "./helpers";

test("sync customers, follow the progress, and find every result in records and the log", async ({ page }) => {
  test.setTimeout(120_000);
  await signUp(page, { name: "Sam Sync", email: uniqueEmail("sam") });
  const slug = await createTenant(page, "Sync Test ISP");
  await connectSandboxSplynx(page, slug);
  await connectSandboxZoho(page, slug, "Demo ISP Ltd");
  const nav = page.getByRole("navigation", { name: "Tenant" });

  await nav.getByRole("link", { name: "Settings", exact: true }).click();
  await page.getByLabel("Customer name pattern").fill("{name} ({id})");
  await expect(page.getByText(/→ .+ \(\d+\)$/)).toBeVisible();
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByText("Saved (1 changed).")).toBeVisible();

  await nav.getByRole("link", { name: "Customer pairing" }).click();
  await page.getByRole("button", { name: "Load Zoho customers" }).click();
  await expect(page.getByText(/^\d+ Zoho customers loaded/)).toBeVisible();
  await page.getByLabel("State").selectOption("not_paired");
  await page.getByRole("button", { name: "Pair…" }).first().click();
  await page.getByRole("button", { name: "Pair", exact: true }).first().click();
  await page.getByLabel("State").selectOption("paired");
  await expect(page.getByRole("button", { name: "Unpair" })).toHaveCount(1);

  await nav.getByRole("link", { name: "Sync", exact: true }).click();
  await page.getByRole("button", { name: "Sync customers" }).click();
  await expect(page.getByRole("button", { name: "Sync customers" })).toBeDisabled();
  await expect(page.getByText("running", { exact: true }).or(page.getByText("succeeded", { exact: true }))).toBeVisible();
  await expect(page.getByText("succeeded", { exact: true })).toBeVisible({ timeout: 90_000 });
  await expect(page.getByTestId("run-progress")).toHaveText("250 of 250 records");
  const counts = page.getByTestId("run-counts");
  // The paired customer is updated, never created.
  await expect(counts).toContainText("created249");
  await expect(counts).toContainText("updated1");
  await expect(counts).toContainText("failed0");

  await nav.getByRole("link", { name: "Records · Customers" }).click();
  const firstZohoLink = page.getByRole("link", { name: /^\d{19}$/ }).first();
  await expect(firstZohoLink).toBeVisible();
  await page.getByLabel("State").selectOption("failed");
  await expect(page.getByText("No records match.")).toBeVisible();
  await page.getByLabel("State").selectOption("synced");
  const href = await firstZohoLink.getAttribute("href");
  expect(href).toMatch(/^\/sandbox\/zoho\/app\/\d+\/contacts\/\d{19}$/);
  const contactPage = await page.request.get(href!);
  expect(await contactPage.text()).toMatch(/Demo ISP Ltd · contacts[\s\S]*\(\d+\)/);

  await nav.getByRole("link", { name: "Sync log" }).click();
  await expect(page.getByRole("cell", { name: "manual" }).first()).toBeVisible();
  await expect(page.getByRole("cell", { name: "created" }).first()).toBeVisible();
  const csvHref = await page.getByRole("link", { name: "Export CSV" }).getAttribute("href");
  const csv = await page.request.get(csvHref!);
  expect(csv.headers()["content-type"]).toContain("text/csv");
  const lines = (await csv.text()).trim().split("\n");
  expect(lines[0]).toBe("time,entity,splynx_id,action,message");
  expect(lines).toHaveLength(251);

  // Nothing changed: a second run creates nothing and spends no Zoho call.
  await nav.getByRole("link", { name: "Sync", exact: true }).click();
  await page.getByRole("button", { name: "Sync customers" }).click();
  await expect(counts).toContainText("unchanged250", { timeout: 30_000 });
  await expect(page.getByText("0 Zoho calls", { exact: true })).toBeVisible();
});
