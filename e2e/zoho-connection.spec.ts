// Connect with Zoho Books through the simulator's consent page, come back, and pick the organization.
import { expect, test } from "@playwright/test";
import { createTenant, signUp, uniqueEmail } from "./helpers";

test("connect Zoho Books, consent, and choose the organization", async ({ page }) => {
  await signUp(page, { name: "Zed Admin", email: uniqueEmail("zed") });
  await createTenant(page, "Zoho Test ISP");
  await page.getByRole("navigation", { name: "Tenant" }).getByRole("link", { name: "Zoho Books connection" }).click();

  await page.getByLabel("Region (data centre)").selectOption("SANDBOX");
  await expect(page.getByText("ZohoBooks.customerpayments.ALL")).toBeVisible();
  await page.getByRole("button", { name: "Connect with Zoho Books" }).click();

  await expect(page.getByRole("heading", { name: "Zoho Books (simulator)" })).toBeVisible();
  await page.getByRole("button", { name: "Accept" }).click();

  await expect(page.getByText("Connected to Zoho. Now choose the organization.")).toBeVisible();
  await page.getByRole("radio", { name: /Demo ISP Ltd/ }).check();
  await page.getByRole("button", { name: "Use this organization" }).click();
  await expect(page.getByTestId("zoho-organization")).toHaveText("Demo ISP Ltd");
  await expect(page.getByTestId("zoho-calls-today")).toHaveText(/^\d+/);

  await page.getByRole("button", { name: "Refresh OAuth token" }).click();
  await expect(page.getByText("Token refreshed.")).toBeVisible();
  page.once("dialog", (dialog) => void dialog.accept());
  await page.getByRole("button", { name: "Disconnect" }).click();
  await expect(page.getByRole("button", { name: "Connect with Zoho Books" })).toBeVisible();
});
