// Records before any sync: connecting Splynx reads its records, so every customer and invoice is listed at once as
// "not synced yet", filtered by that state and paged by "Load more"; an admin refreshes from Splynx and sees it done.
import { expect, test } from "@playwright/test";
import { connectSandboxSplynx, createTenant, signUp, uniqueEmail } from "./helpers";

test("lists Splynx records not synced yet before the first sync, and refreshes them from Splynx", async ({ page }) => {
  test.setTimeout(60_000);
  await signUp(page, { name: "Rita Records", email: uniqueEmail("rita") });
  const slug = await createTenant(page, "Records Test ISP");
  await connectSandboxSplynx(page, slug);

  await page.goto(`/t/${slug}/records?entity=customer`);
  const status = page.getByRole("status", { name: "Splynx records" });
  await expect(status).toContainText("Splynx's records read", { timeout: 30_000 });
  const rows = page.locator("tbody tr");
  await expect(rows).toHaveCount(50);
  await expect(rows.first().getByText("not synced yet")).toBeVisible();
  await page.getByRole("button", { name: "Load more" }).click();
  await expect(rows).toHaveCount(100);

  await page.getByRole("link", { name: "Invoices" }).click();
  await page.getByLabel("State").selectOption("unsynced");
  await expect(page.getByTestId("document-row")).toHaveCount(50);
  await expect(page.getByTestId("document-row").first().getByText("not synced yet")).toBeVisible();
  await page.getByLabel("State").selectOption("synced");
  await expect(page.getByText("No records match.")).toBeVisible();

  await page.getByRole("button", { name: "Refresh from Splynx" }).click();
  await expect(status).toContainText("Splynx's records read", { timeout: 30_000 });
});

test.describe("far from the server's time zone", () => {
  test.use({ timezoneId: "Pacific/Kiritimati" });

  test("the outbox shows when each mail was kept in the viewer's own zone, labelled", async ({ page }) => {
    const email = uniqueEmail("zoned");
    await signUp(page, { name: "Zed Zoned", email });
    await page.context().clearCookies();
    await page.goto("/forgot-password");
    await page.getByLabel("E-mail").fill(email);
    await page.getByRole("button", { name: "Send reset link" }).click();
    await page.getByRole("link", { name: "outbox" }).click();
    const sent = page
      .getByRole("listitem")
      .filter({ hasText: `To ${email}` })
      .first()
      .locator("time");
    await expect(sent).toHaveText(/^\d{1,2} \w{3} \d{4}, \d{2}:\d{2} GMT\+14$/);
    await expect(sent).toHaveAttribute("title", "Your time zone: Pacific/Kiritimati");
  });
});
