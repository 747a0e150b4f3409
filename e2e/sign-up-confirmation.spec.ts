// Sign-up with e-mail confirmation in the browser: no sign-in before the mailed link, a new link on request, a link
// that signs in once and only with the password chosen at sign-up, and a reset as the way in for the address's owner.
import { expect, type Page, test } from "@playwright/test";
import { PASSWORD, uniqueEmail } from "./helpers";

async function confirmWith(page: Page, link: string, password = PASSWORD) {
  await page.goto(link);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Confirm and sign in" }).click();
}

async function signUpAs(page: Page, email: string, password: string) {
  await page.goto("/signup");
  await page.getByLabel("Your name").fill("Cora Confirm");
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText(`We sent a message to ${email}.`)).toBeVisible();
}

const confirmationLinks = (page: Page, email: string) =>
  page
    .getByRole("listitem")
    .filter({ hasText: `To ${email}` })
    .filter({ hasText: "Confirm your e-mail address" })
    .getByRole("link");

test("a new account signs in only through its newest mailed link, and that link works once", async ({ page }) => {
  const email = uniqueEmail("cora");
  await signUpAs(page, email, PASSWORD);

  await page.goto("/login");
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText("Confirm your e-mail address first")).toBeVisible();
  await page.getByRole("button", { name: "Send a new confirmation link" }).click();
  await expect(page.getByText(`A new confirmation link is on its way to ${email}.`)).toBeVisible();

  await page.goto("/outbox");
  const links = confirmationLinks(page, email);
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

test("the link alone confirms nothing: someone else's password fails on it, and a reset gives the owner the account", async ({
  page,
}) => {
  // The attacker signs up with the victim's address and a password of their own.
  const victim = uniqueEmail("pre-taken");
  await signUpAs(page, victim, "the attacker's own password");

  // The victim opens the mailed link and types the password they would use; it is not the account's.
  await page.goto("/outbox");
  const link = (await confirmationLinks(page, victim).first().getAttribute("href"))!;
  await confirmWith(page, link, PASSWORD);
  await expect(page.getByText("That is not the password this account was created with.")).toBeVisible();
  await expect(page).toHaveURL(/\/confirm-email\?/);
  expect((await page.context().cookies()).some((cookie) => cookie.name.includes("session-token"))).toBe(false);

  // Their way in is a reset, which confirms the account and replaces the attacker's password.
  await page.getByRole("link", { name: "Reset it." }).click();
  await expect(page).toHaveURL(/\/forgot-password$/);
  await page.getByLabel("E-mail").fill(victim);
  await page.getByRole("button", { name: "Send reset link" }).click();
  await expect(page.getByText(`If an account uses ${victim}, a link`)).toBeVisible();
  await page.goto("/outbox");
  const reset = page
    .getByRole("listitem")
    .filter({ hasText: `To ${victim}` })
    .filter({ hasText: "Reset your Ledgerlink password" });
  await page.goto((await reset.getByRole("link", { name: /\/reset-password\?token=/ }).getAttribute("href"))!);
  await page.getByLabel("New password").fill(PASSWORD);
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByText("Your password is changed.")).toBeVisible();

  // The attacker's password no longer signs in, nor confirms through the old link.
  await confirmWith(page, link, "the attacker's own password");
  await expect(page.getByText("This confirmation link is not valid any more")).toBeVisible();
  await page.goto("/login");
  await page.getByLabel("E-mail").fill(victim);
  await page.getByLabel("Password").fill("the attacker's own password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText("That e-mail and password don't match an account.")).toBeVisible();
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/tenants\/new$/);
});
