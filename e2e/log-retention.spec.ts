// The sync log's retention on the settings screen: 180 days until changed, a value out of range refused on its field.
import { expect, test } from "@playwright/test";
import { createTenant, signUp, uniqueEmail } from "./helpers";

test("keep the sync log 180 days by default, refuse 3 on the field, keep 30 once saved", async ({ page }) => {
  await signUp(page, { name: "Rita Retention", email: uniqueEmail("rita") });
  const slug = await createTenant(page, "Retention ISP");
  await page.goto(`/t/${slug}/settings`);
  const retention = page.getByLabel("Keep the sync log for (days)");
  await expect(retention).toHaveValue("180");

  await retention.fill("3");
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(retention).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByRole("alert").filter({ hasText: "At least 7" })).toBeVisible();

  await retention.fill("30");
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByText("Saved (1 changed).")).toBeVisible();
  await page.reload();
  await expect(page.getByLabel("Keep the sync log for (days)")).toHaveValue("30");
});
