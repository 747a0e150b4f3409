// An ISP whose Zoho already holds customers typed by hand: the first sync holds them for review instead of duplicating
// them, the person pairs them on Pairing, the next sync creates nothing more, and Zoho ends with one contact per customer.
import { expect, test } from "@playwright/test";
import {
  callApi,
  connectSandboxSplynx,
  connectSandboxZoho,
  createTenant,
  sandboxZohoApi,
  signUp,
  uniqueEmail,
} from "./helpers";

type PairingRow = { splynxId: string; name: string; email: string };

// One address Zoho takes as it is, so the customer's key is exactly this e-mail.
const PLAIN_EMAIL = /^[a-z0-9._+-]+@[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}$/i;

test("customers Zoho already holds are held for review, paired on Pairing, and never created twice", async ({
  page,
}) => {
  test.setTimeout(180_000);
  await signUp(page, { name: "Hana Held", email: uniqueEmail("hana") });
  const slug = await createTenant(page, "Typed By Hand ISP");
  await connectSandboxSplynx(page, slug);
  // The sandbox's second organization starts with no contacts, whatever other journeys sync into the first.
  await connectSandboxZoho(page, slug, "Demo ISP Holdings");
  const nav = page.getByRole("navigation", { name: "Tenant" });

  // Someone typed five of the ISP's customers into Zoho by hand, with other names and their e-mail in capitals.
  const customersMatching = async (text?: string) => {
    const listed = await callApi(page, "pairing.customers", "query", { tenantSlug: slug, text });
    expect(listed.status, listed.body).toBe(200);
    return (JSON.parse(listed.body) as { result: { data: { json: { rows: PairingRow[] } } } }).result.data.json.rows;
  };
  const typedByHand: PairingRow[] = [];
  for (const customer of await customersMatching()) {
    // An e-mail no other customer has, so the contact typed by hand matches this customer only.
    if (PLAIN_EMAIL.test(customer.email) && (await customersMatching(customer.email)).length === 1)
      typedByHand.push(customer);
    if (typedByHand.length === 5) break;
  }
  expect(typedByHand).toHaveLength(5);
  const zoho = await sandboxZohoApi(page, slug, "Demo ISP Holdings");
  for (const customer of typedByHand)
    await zoho.createContact({
      name: `${customer.name.split(" ")[0]} (typed by hand)`,
      email: customer.email.toUpperCase(),
    });
  expect(await zoho.contacts()).toHaveLength(5);

  await nav.getByRole("link", { name: "Settings", exact: true }).click();
  await expect(page.getByLabel("When a customer matches a Zoho contact no link holds")).toHaveValue("hold");

  // First sync: everyone else is created; the five are held, not duplicated.
  await nav.getByRole("link", { name: "Sync", exact: true }).click();
  await page.getByRole("button", { name: "Sync customers" }).click();
  await expect(page.getByText("succeeded", { exact: true })).toBeVisible({ timeout: 120_000 });
  await expect(page.getByTestId("run-progress")).toHaveText("250 of 250 records");
  const counts = page.getByTestId("run-counts");
  await expect(counts).toContainText("created245");
  await expect(counts).toContainText("failed0");
  await expect(page.getByTestId("run-held")).toHaveText(
    "5 held for review (not created: Zoho already holds a matching contact).",
  );
  await expect(page.getByTestId("held-notice")).toContainText("5 customers need review before they sync");
  expect(await zoho.contacts()).toHaveLength(250);

  await nav.getByRole("link", { name: "Dashboard" }).click();
  await expect(page.getByTestId("held-count")).toHaveText("5 customers need review");
  await expect(page.getByTestId("failed-count")).toHaveText("0 failed records");

  // On Pairing, filtered on held: each with the contact it matched.
  await page.getByTestId("held-count").click();
  await expect(page).toHaveURL(/\/pairing\?state=held$/);
  await expect(page.getByLabel("State")).toHaveValue("held");
  const candidates = page.getByTestId("held-candidate");
  await expect(candidates).toHaveCount(5);
  for (const customer of typedByHand)
    await expect(candidates.filter({ hasText: customer.email.toUpperCase() })).toHaveCount(1);
  await expect(
    page.getByText(/^Zoho already holds record \d+ with the same e-mail: review it on Pairing before it syncs\.$/),
  ).toHaveCount(5);

  // One paired from its row, the other four by accepting the suggestions.
  await page.getByRole("button", { name: "Pair with this contact" }).first().click();
  await expect(page.getByRole("button", { name: "Pair with this contact" })).toHaveCount(4);
  await page.getByRole("button", { name: "Preview" }).click();
  await expect(page.getByRole("cell", { name: "same e-mail; held by the sync" })).toHaveCount(4);
  await page.getByRole("button", { name: "Accept all 4 suggestions" }).click();
  await expect(page.getByText("Paired 4 customers.")).toBeVisible();
  await expect(page.getByText("No customer is held for review.")).toBeVisible();
  await page.getByLabel("State").selectOption("paired");
  await expect(page.getByRole("button", { name: "Unpair" })).toHaveCount(5);

  // The next sync creates nothing: the five are updated in their hand-typed contacts.
  await nav.getByRole("link", { name: "Sync", exact: true }).click();
  await expect(page.getByTestId("held-notice")).toHaveCount(0);
  await page.getByRole("button", { name: "Sync customers" }).click();
  await expect(counts).toContainText("updated5", { timeout: 120_000 });
  await expect(page.getByText("succeeded", { exact: true })).toBeVisible();
  await expect(counts).toContainText("created0");
  await expect(counts).toContainText("failed0");
  await expect(page.getByTestId("run-held")).toHaveCount(0);

  // Zoho: the 245 customers Ledgerlink created plus the 5 typed by hand that were paired, each e-mail once.
  const contacts = await zoho.contacts();
  expect(contacts).toHaveLength(245 + 5);
  for (const customer of typedByHand)
    expect(contacts.filter((contact) => contact.email.toLowerCase() === customer.email.toLowerCase())).toHaveLength(1);
});
