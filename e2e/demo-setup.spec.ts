// On the embedded default, with nothing configured: the demo tenant connects both sandboxes and maps, to a complete checklist.
import { expect, test } from "@playwright/test";

test("the demo tenant connects Zoho, maps, and completes its setup checklist", async ({ page }) => {
  await page.goto("/login");
  const email = (await page.getByTestId("demo-email").textContent())!;
  const password = (await page.getByTestId("demo-password").textContent())!;
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/t\/demo-isp$/);
  const checklist = page.getByRole("list", { name: "Setup checklist" });
  await expect(checklist.getByRole("listitem").filter({ hasText: "Zoho Books connected" })).toContainText("to do");

  const nav = page.getByRole("navigation", { name: "Tenant" });
  await nav.getByRole("link", { name: "Splynx connection" }).click();
  await page.getByRole("button", { name: "Test connection" }).click();
  await expect(page.getByText("All checks passed")).toBeVisible();

  await nav.getByRole("link", { name: "Zoho Books connection" }).click();
  await page.getByLabel("Region (data centre)").selectOption("SANDBOX");
  await page.getByRole("button", { name: "Connect with Zoho Books" }).click();
  await page.getByRole("button", { name: "Accept" }).click();
  await page.getByRole("radio", { name: /Demo ISP Ltd/ }).check();
  await page.getByRole("button", { name: "Use this organization" }).click();
  await expect(page.getByTestId("zoho-organization")).toHaveText("Demo ISP Ltd");

  await nav.getByRole("link", { name: "Data mapping" }).click();
  await page.getByRole("button", { name: "Load mapping data" }).click();
  await expect(page.getByText(/^Loaded \d+ records\.$/)).toBeVisible();
  for (const screen of ["Accounting categories", "Bank accounts", "Tax rates", "Payment modes"]) {
    await page.getByRole("navigation", { name: "Mapping screens" }).getByRole("link", { name: screen }).click();
    await expect(page.getByRole("link", { name: screen })).toHaveAttribute("aria-current", "page");
    await page.getByRole("button", { name: "Accept suggestions" }).click();
    await page.getByRole("button", { name: "Save" }).click();
    await expect(page.getByText("Saved.", { exact: true })).toBeVisible();
  }
  await expect(page.getByRole("combobox", { name: "Zoho for Internet 100M" })).toHaveCount(0);
  await page
    .getByRole("navigation", { name: "Mapping screens" })
    .getByRole("link", { name: "Accounting categories" })
    .click();
  await expect(page.getByRole("combobox", { name: "Zoho for Internet 100M" })).toHaveValue(/^\d{19}$/);

  await nav.getByRole("link", { name: "Dashboard" }).click();
  await expect(checklist.getByRole("listitem")).toHaveCount(8);
  await expect(checklist.getByText("to do")).toHaveCount(0);
});
