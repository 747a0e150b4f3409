// The embedded default: the sign-in page shows the demo details, and they sign in to the demo tenant.
import { expect, test } from "@playwright/test";

test("the demo details on the sign-in page sign in to the demo tenant", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/login/);
  const email = (await page.getByTestId("demo-email").textContent())!;
  const password = (await page.getByTestId("demo-password").textContent())!;

  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText("That e-mail and password don't match an account.")).toBeVisible();

  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/t\/demo-isp$/);
  await expect(page.getByRole("heading", { name: "Demo ISP" })).toBeVisible();
  await expect(page.getByRole("cell", { name: "auth.sign_in" }).first()).toBeVisible();
});
