// Sign-up with e-mail confirmation in the browser: no sign-in before the mailed link, a new link on request, and a
// link that signs in once.
import { expect, type Page, test } from "@playwright/test";
import { PASSWORD, uniqueEmail } from "./helpers";

async function confirmWith(page: Page, link: string) {
  await page.goto(link);
  await page.getByRole("button", { name: "Confirm and sign in" }).click();
}

test("a new account signs in only through its newest mailed link, and that link works once", async ({ page }) => {
  const email = uniqueEmail("cora");
  await page.goto("/signup");
  await page.getByLabel("Your name").fill("Cora Confirm");
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText(`We sent a message to ${email}.`)).toBeVisible();

  await page.goto("/login");
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText("Confirm your e-mail address first")).toBeVisible();
  await page.getByRole("button", { name: "Send a new confirmation link" }).click();
  await expect(page.getByText(`A new confirmation link is on its way to ${email}.`)).toBeVisible();

  await page.goto("/outbox");
  const links = page
    .getByRole("listitem")
    .filter({ hasText: `To ${email}` })
    .getByRole("link");
  await expect(links).toHaveCount(2);
  const [newest, replaced] = [await links.nth(0).getAttribute("href"), await links.nth(1).getAttribute("href")];
  await confirmWith(page, replaced!);
  await expect(page.getByText("This confirmation link is not valid any more")).toBeVisible();

  await confirmWith(page, newest!);
  await expect(page).toHaveURL(/\/tenants\/new$/);

  await page.context().clearCookies();
  await confirmWith(page, newest!);
  await expect(page.getByText("This confirmation link is not valid any more")).toBeVisible();
  await page.goto("/login");
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/tenants\/new$/);
});
