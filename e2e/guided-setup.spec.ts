// A new ISP as finance staff meet it: the dashboard's one next step through the whole setup, times in the ISP's zone,
// and pages that fit a 1280-px laptop and a 390-px phone (with the navigation in a menu).
import { expect, type Page, test } from "@playwright/test";
import { callApi, connectSandboxSplynx, createTenant, signUp, uniqueEmail } from "./helpers";

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const pad = (value: number) => String(value).padStart(2, "0");

/** A UTC instant as the screens show it in Asia/Tokyo (UTC+9, no daylight saving), worked out by hand. */
function inTokyo(iso: string): string {
  const shifted = new Date(new Date(iso).getTime() + 9 * 3_600_000);
  const [day, month, year] = [shifted.getUTCDate(), MONTHS[shifted.getUTCMonth()], shifted.getUTCFullYear()];
  return `${day} ${month} ${year}, ${pad(shifted.getUTCHours())}:${pad(shifted.getUTCMinutes())} GMT+9`;
}

async function expectNextStep(page: Page, slug: string, label: string) {
  await page.goto(`/t/${slug}`);
  await expect(page.getByTestId("next-step").getByRole("link")).toHaveText(label);
}

/**
 * The page never scrolls sideways and every table's box fits the screen; on a laptop the tables fit whole, while on a
 * phone a wide table may scroll inside its own box.
 */
async function expectFits(page: Page, width: number, tables: "whole" | "in their box") {
  const overflow = await page.evaluate(() => ({
    page: document.documentElement.scrollWidth,
    tables: [...document.querySelectorAll("table")].map((table) => ({
      table: table.getBoundingClientRect().right,
      box: table.parentElement!.getBoundingClientRect().right,
    })),
  }));
  expect(overflow.page).toBeLessThanOrEqual(width);
  for (const right of overflow.tables) {
    expect(right.box).toBeLessThanOrEqual(width);
    if (tables === "whole") expect(right.table).toBeLessThanOrEqual(width);
  }
}

test("a new ISP follows the dashboard's next step to a first sync and a schedule, in its own time zone", async ({
  page,
}) => {
  test.setTimeout(90_000);
  await page.setViewportSize({ width: 1280, height: 800 });
  await signUp(page, { name: "Fiona Finance", email: uniqueEmail("fiona") });
  const slug = await createTenant(page, "Guided Fibre");

  await expect(page.getByTestId("next-step")).toContainText("Step 1 of 8");
  await expect(page.getByTestId("failed-count")).toHaveCount(0);
  await page.getByTestId("next-step").getByRole("link", { name: "Connect Splynx" }).click();
  await expect(page).toHaveURL(`/t/${slug}/connections/splynx`);
  await connectSandboxSplynx(page, slug);

  await expectNextStep(page, slug, "Connect Zoho Books");
  await page.getByTestId("next-step").getByRole("link").click();
  await page.getByLabel("Region (data centre)").selectOption("SANDBOX");
  await page.getByRole("button", { name: "Connect with Zoho Books" }).click();
  await page.getByRole("button", { name: "Accept" }).click();
  await expect(page.getByRole("button", { name: "Use this organization" })).toBeVisible();

  await expectNextStep(page, slug, "Choose the Zoho organization");
  await page.getByTestId("next-step").getByRole("link").click();
  await page.getByRole("radio", { name: /Demo ISP Holdings/ }).check();
  await page.getByRole("button", { name: "Use this organization" }).click();
  await expect(page.getByTestId("zoho-organization")).toHaveText("Demo ISP Holdings");

  await expectNextStep(page, slug, "Load mapping data");
  await page.getByTestId("next-step").getByRole("link").click();
  await page.getByRole("button", { name: "Load mapping data" }).click();
  await expect(page.getByText(/^Loaded \d+ records\.$/)).toBeVisible();

  await expectNextStep(page, slug, "Map categories, taxes and payment methods");
  await page.getByTestId("next-step").getByRole("link").click();
  const screens = page.getByRole("navigation", { name: "Mapping screens" });
  for (const screen of ["Accounting categories", "Bank accounts", "Tax rates", "Payment modes"]) {
    await screens.getByRole("link", { name: screen }).click();
    await expect(screens.getByRole("link", { name: screen })).toHaveAttribute("aria-current", "page");
    await page.getByRole("button", { name: "Accept suggestions" }).click();
    await page.getByRole("button", { name: "Save" }).click();
    await expect(page.getByText("Saved.", { exact: true })).toBeVisible();
  }

  await expectNextStep(page, slug, "Review existing Zoho matches");
  await page.getByTestId("next-step").getByRole("link").click();
  await page.getByRole("button", { name: "Load Zoho customers" }).click();
  await expect(page.getByText(/^Loaded \d+ Zoho customers/)).toBeVisible();
  await expect(page.getByTestId("pairing-page")).toHaveText(/^Showing 1–200 of \d+$/);

  // The first sync, kept out of the sandbox's shared Zoho: every partner is ignored, so each customer is skipped.
  await page.goto(`/t/${slug}/settings`);
  const partners = page.getByRole("group", { name: "Partners ignore list" }).getByRole("checkbox");
  await expect(partners.first()).toBeVisible();
  for (const partner of await partners.all()) await partner.check();
  await page.getByLabel("Time zone").fill("tokyo");
  await page.getByRole("option", { name: "Asia/Tokyo" }).click();
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByLabel("Time zone")).toHaveAccessibleDescription(/^Now Asia\/Tokyo/);

  await expectNextStep(page, slug, "Run the first sync");
  await page.getByTestId("next-step").getByRole("link").click();
  await page.getByRole("button", { name: "Sync customers" }).click();
  await expect(page.getByText("succeeded", { exact: true })).toBeVisible({ timeout: 60_000 });

  await expectNextStep(page, slug, "Turn on the schedule");
  await expect(page.getByTestId("failed-count")).toHaveText("0 failed records");
  await page.getByTestId("next-step").getByRole("link").click();
  await page.getByRole("checkbox", { name: "Customers", exact: true }).check();
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByRole("checkbox", { name: "Customers", exact: true })).toBeChecked();
  await page.goto(`/t/${slug}`);
  await expect(page.getByTestId("next-step")).toContainText("Set up");

  // Times in the ISP's zone, labelled with it: the run as the log lists it.
  const runs = await callApi(page, "sync.runs", "query", { tenantSlug: slug, limit: 1 });
  const [run] = (JSON.parse(runs.body) as { result: { data: { json: { runs: { createdAt: string }[] } } } }).result.data
    .json.runs;
  await page.goto(`/t/${slug}/log`);
  await expect(page.getByRole("link", { name: inTokyo(run!.createdAt) })).toBeVisible();
  await expect(page.getByRole("cell", { name: "skipped", exact: true }).first()).toBeVisible();
  await expectFits(page, 1280, "whole");
  await page.goto(`/t/${slug}/records`);
  await expect(page.getByRole("cell", { name: "skipped", exact: true }).first()).toBeVisible();
  await expectFits(page, 1280, "whole");

  // A phone: the side navigation gives way to a menu that opens, leads to a page and closes.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`/t/${slug}`);
  await expect(page.getByRole("navigation", { name: "Tenant" })).toBeHidden();
  const menu = page.getByRole("button", { name: "Menu" });
  await expect(menu).toHaveAttribute("aria-expanded", "false");
  await expectFits(page, 390, "in their box");
  await menu.click();
  const phoneNav = page.getByRole("navigation", { name: "Workspace menu" });
  const records = phoneNav.getByRole("link", { name: "Records" });
  const box = (await records.boundingBox())!;
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(390);
  await records.click();
  await expect(page).toHaveURL(`/t/${slug}/records`);
  await expect(phoneNav).toBeHidden();
  await expect(page.getByRole("cell", { name: "skipped", exact: true }).first()).toBeVisible();
  await expectFits(page, 390, "in their box");
});
