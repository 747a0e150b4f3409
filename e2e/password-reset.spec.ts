// "Forgot password" on the embedded default: the reset link arrives in the sandbox's outbox, works once, and the new
// password signs in; an unknown address gets the same answer and no mail.
import { expect, test } from "@playwright/test";
import { signUp, uniqueEmail } from "./helpers";

test("reset a forgotten password through the outbox, which signs out the old password's sessions", async ({
  page,
  browser,
}) => {
  const email = uniqueEmail("forgetful");
  await signUp(page, { name: "Fran Forgetful", email });
  // A session left open elsewhere (a shared office PC) with the old password.
  const elsewhere = await page.context().storageState();
  await page.context().clearCookies();

  await page.goto("/login");
  await page.getByRole("link", { name: "Forgot password?" }).click();
  // Pages render per request (the CSP nonce): wait for this one, or its field is typed into the page being left.
  await expect(page).toHaveURL(/\/forgot-password$/);
  const unknown = uniqueEmail("nobody");
  await page.getByLabel("E-mail").fill(unknown);
  await page.getByRole("button", { name: "Send reset link" }).click();
  await expect(page.getByText(`If an account uses ${unknown}, a link`)).toBeVisible();

  await page.goto("/forgot-password");
  await page.getByLabel("E-mail").fill(email);
  await page.getByRole("button", { name: "Send reset link" }).click();
  await expect(page.getByText(`If an account uses ${email}, a link`)).toBeVisible();
  await page.getByRole("link", { name: "outbox" }).click();

  await expect(page.getByText(`To ${unknown}`)).toHaveCount(0);
  // The sign-up's confirmation mail went to this address too.
  const mail = page
    .getByRole("listitem")
    .filter({ hasText: `To ${email}` })
    .filter({ hasText: "Reset your Ledgerlink password" });
  await expect(mail).toHaveCount(1);
  const link = (await mail.getByRole("link", { name: /\/reset-password\?token=/ }).getAttribute("href"))!;
  await page.goto(link);
  await page.getByLabel("New password").fill("my brand new password");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByText("Your password is changed.")).toBeVisible();
  await page.getByRole("link", { name: "Sign in with it" }).click();
  await expect(page.getByLabel("E-mail")).toHaveValue(email);
  await page.getByLabel("Password").fill("my brand new password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => url.pathname !== "/login");

  // The session signed in with the old password is over.
  const stale = await browser.newContext({ storageState: elsewhere });
  const stalePage = await stale.newPage();
  await stalePage.goto("/");
  await expect(stalePage).toHaveURL(/\/login/);
  await stale.close();

  // The link was used up.
  await page.goto(link);
  await expect(page.getByText("This reset link is not valid any more")).toBeVisible();
});
