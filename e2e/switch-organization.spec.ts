// Links belong to one Zoho organization: choosing another one says what erasing the links means, and erases them only
// when the person confirms.
import { expect, test } from "@playwright/test";
import { connectSandboxSplynx, connectSandboxZoho, createTenant, signUp, uniqueEmail } from "./helpers";

test("switching the Zoho organization erases the links only after a confirmation that says what it means", async ({
  page,
}) => {
  test.setTimeout(90_000);
  await signUp(page, { name: "Otto Org", email: uniqueEmail("otto") });
  const slug = await createTenant(page, "Switching ISP");
  await connectSandboxSplynx(page, slug);
  await connectSandboxZoho(page, slug, "Demo ISP Ltd");
  const nav = page.getByRole("navigation", { name: "Tenant" });

  // One customer linked to a contact of Demo ISP Ltd.
  await nav.getByRole("link", { name: "Customer pairing" }).click();
  await page.getByRole("button", { name: "Load Zoho customers" }).click();
  await expect(page.getByText(/^\d+ Zoho customers loaded/)).toBeVisible();
  await page.getByLabel("State").selectOption("not_paired");
  await page.getByRole("button", { name: "Pair…" }).first().click();
  await page.getByRole("button", { name: "Pair", exact: true }).first().click();
  await page.getByLabel("State").selectOption("paired");
  await expect(page.getByRole("button", { name: "Unpair" })).toHaveCount(1);

  // The organization in use is kept until the accounting data is reset.
  await nav.getByRole("link", { name: "Zoho Books connection" }).click();
  await expect(page.getByText(/To use another one, reset the accounting data/)).toBeVisible();
  await nav.getByRole("link", { name: "Data mapping" }).click();
  await page.getByLabel(/Also forget the chosen Zoho organization/).check();
  await page.getByLabel("Confirmation").fill("RESET");
  await page.getByRole("button", { name: "Reset" }).click();
  await expect(page.getByText(/^Reset done/)).toBeVisible();

  await nav.getByRole("link", { name: "Zoho Books connection" }).click();
  await page.getByRole("radio", { name: /Demo ISP Holdings/ }).check();
  await page.getByRole("button", { name: "Use this organization" }).click();
  await expect(
    page.getByText("1 record is linked to Demo ISP Ltd; it will be synced again as a new record in Demo ISP Holdings."),
  ).toBeVisible();
  await page.getByRole("button", { name: "Keep the links" }).click();
  await expect(page.getByTestId("zoho-organization")).toHaveCount(0);

  await page.getByRole("button", { name: "Use this organization" }).click();
  await page.getByRole("button", { name: "Erase the links and use Demo ISP Holdings" }).click();
  await expect(page.getByTestId("zoho-organization")).toHaveText("Demo ISP Holdings");

  await nav.getByRole("link", { name: "Customer pairing" }).click();
  await expect(
    page.getByText("Load the Zoho customers to pair existing contacts with Splynx customers."),
  ).toBeVisible();
  await page.getByLabel("State").selectOption("paired");
  await expect(page.getByText("No customers match.")).toBeVisible();

  await nav.getByRole("link", { name: "Audit log" }).click();
  await expect(page.getByText(/linksErased/).first()).toBeVisible();
});
