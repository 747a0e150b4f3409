// Settings, a customer paired by hand, then a sync on the sandbox: progress, Zoho ids on the records, the run in the log.
// The sandbox's Zoho already holds contacts with the e-mail of some customers: the first sync holds them for review, they
// are paired on Pairing, and the next sync updates them; after that an unchanged run spends no Zoho call.
import { expect, test } from "@playwright/test";
import { connectSandboxSplynx, connectSandboxZoho, createTenant, signUp, uniqueEmail } from "./helpers";

test("sync customers, follow the progress, and find every result in records and the log", async ({ page }) => {
  test.setTimeout(180_000);
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
  // Long waits: on the embedded database an in-process run can hold the server's event loop until it ends.
  await expect(page.getByText("running", { exact: true }).or(page.getByText("succeeded", { exact: true }))).toBeVisible(
    { timeout: 90_000 },
  );
  await expect(page.getByText("succeeded", { exact: true })).toBeVisible({ timeout: 90_000 });
  await expect(page.getByTestId("run-progress")).toHaveText("250 of 250 records");
  // Held: the customers whose e-mail a contact in the sandbox's Zoho already has, as the Sync page counts them.
  const heldText = (await page.getByTestId("run-held").textContent())!;
  const held = Number(/^(\d+) held for review/.exec(heldText)![1]);
  expect(held).toBeGreaterThan(0);
  await expect(page.getByTestId("held-notice")).toContainText(`${held} customers need review before they sync`);
  const counts = page.getByTestId("run-counts");
  // The paired customer is updated, never created; the held ones are neither.
  await expect(counts).toHaveText(`created${249 - held}updated1unchanged0skipped0held${held}failed0`);

  await nav.getByRole("link", { name: "Records", exact: true }).click();
  await expect(
    page.getByRole("navigation", { name: "Record kinds" }).getByRole("link", { name: "Customers" }),
  ).toHaveAttribute("aria-current", "page");
  const firstZohoLink = page.getByRole("link", { name: /^\d{19}$/ }).first();
  await expect(firstZohoLink).toBeVisible();
  await page.getByLabel("State").selectOption("failed");
  await expect(page.getByText("No records match.")).toBeVisible();
  await page.getByLabel("State").selectOption("held");
  await expect(page.getByRole("cell", { name: "held", exact: true })).toHaveCount(held);
  await page.getByLabel("State").selectOption("synced");
  const href = await firstZohoLink.getAttribute("href");
  expect(href).toMatch(new RegExp(`^/sandbox/${slug}/zoho/app/\\d+/contacts/\\d{19}$`));
  const contactPage = await page.request.get(href!);
  expect(await contactPage.text()).toMatch(/Demo ISP Ltd · contacts[\s\S]*\(\d+\)/);

  await nav.getByRole("link", { name: "Sync log" }).click();
  await expect(page.getByRole("cell", { name: "manual" }).first()).toBeVisible();
  await expect(page.getByRole("cell", { name: "created" }).first()).toBeVisible();
  await page.getByLabel("Action").selectOption("held");
  await expect(page.getByRole("cell", { name: "held", exact: true })).toHaveCount(held);
  const csvHref = await page.getByRole("link", { name: "Export CSV" }).getAttribute("href");
  const csv = await page.request.get(csvHref!);
  expect(csv.headers()["content-type"]).toContain("text/csv");
  const lines = (await csv.text()).trim().split("\n");
  expect(lines[0]).toBe("entity,splynx_id,customer,document_number,zoho_id,action,message,time,time_zone");
  expect(lines).toHaveLength(251);

  // The held customers are paired with the contacts they matched; the next run updates them and creates nothing.
  await nav.getByRole("link", { name: "Customer pairing" }).click();
  await page.getByRole("button", { name: "Preview" }).click();
  await page.getByRole("button", { name: `Accept all ${held} suggestions` }).click();
  await expect(page.getByText(`Paired ${held} customers.`)).toBeVisible();
  await nav.getByRole("link", { name: "Sync", exact: true }).click();
  await page.getByRole("button", { name: "Sync customers" }).click();
  await expect(counts).toHaveText(`created0updated${held}unchanged${250 - held}skipped0held0failed0`, {
    timeout: 90_000,
  });
  await expect(page.getByText("succeeded", { exact: true })).toBeVisible();

  // Nothing changed: a third run creates nothing and spends no Zoho call.
  await page.getByRole("button", { name: "Sync customers" }).click();
  await expect(counts).toHaveText("created0updated0unchanged250skipped0held0failed0", { timeout: 90_000 });
  await expect(page.getByText("succeeded", { exact: true })).toBeVisible();
  await expect(page.getByText("0 Zoho calls", { exact: true })).toBeVisible();
});
