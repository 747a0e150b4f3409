// The preview before a first sync says what the run then does, count for count; the reconciliation report then finds a
// payment recorded in the simulated Zoho Books: the invoice it pays is paid there and not in Splynx, and no link holds it.
import { expect, test, type Page } from "@playwright/test";
import {
  apiResult,
  connectSandboxSplynx,
  connectSandboxZoho,
  createTenant,
  mapBySuggestions,
  sandboxZohoApi,
  signUp,
  uniqueEmail,
} from "./helpers";

// The sandbox's invoices from 2026-10-25 on (about twenty); contacts Zoho already holds are paired, not held.
const SETTINGS = { general: { existingMatch: "pair", exportFromDate: "2026-10-25" } };
const ACTIONS = ["create", "update", "unchanged", "skip", "held", "fail"] as const;

type Row = { label: string; zohoId: string | null; action: string; message: string | null };

/** Starts a reconciliation on its page and waits for it; answers its mismatch lines. */
async function reconcile(page: Page, slug: string): Promise<Row[]> {
  await page.getByRole("navigation", { name: "Tenant" }).getByRole("link", { name: "Reconciliation" }).click();
  await page.getByRole("button", { name: "Reconcile now" }).click();
  await expect(page.getByTestId("report-status").getByText("succeeded", { exact: true })).toBeVisible({
    timeout: 20_000,
  });
  const [report] = await apiResult<{ id: string }[]>(page, "reconciliation.latest", "query", { tenantSlug: slug });
  const mismatches = ["missing_in_zoho", "missing_in_splynx", "total_differs", "status_differs", "not_linked"];
  const { rows } = await apiResult<{ rows: Row[] }>(page, "reconciliation.rows", "query", {
    tenantSlug: slug,
    reportId: report!.id,
    actions: mismatches,
    limit: 500,
  });
  return rows;
}

test("a preview matches the first sync count for count; reconciliation finds a payment recorded in Zoho", async ({
  page,
}) => {
  // About 38 s here, most of it the sandbox's setup and the run; the margin is for a loaded machine.
  test.setTimeout(60_000);
  await signUp(page, { name: "Rita Reports", email: uniqueEmail("rita") });
  const slug = await createTenant(page, "Reporting ISP");
  await connectSandboxSplynx(page, slug);
  await connectSandboxZoho(page, slug, "Demo ISP Ltd");
  await mapBySuggestions(page, slug);
  await apiResult(page, "settings.save", "mutation", { tenantSlug: slug, settings: SETTINGS });
  const nav = page.getByRole("navigation", { name: "Tenant" });

  // The preview of invoices (their customers first, as the run does them), reading Zoho only.
  await nav.getByRole("link", { name: "Preview" }).click();
  for (const entity of ["Customers", "Credit notes", "Payments"]) await page.getByLabel(entity).uncheck();
  await page.getByRole("button", { name: "Preview" }).click();
  await expect(page.getByTestId("report-status").getByText("succeeded", { exact: true })).toBeVisible({
    timeout: 20_000,
  });
  const totals = page.getByTestId("preview-counts-total");
  const predicted: Record<string, string> = {};
  for (const action of ACTIONS)
    predicted[action] = (await totals.locator(`[data-action="${action}"]`).textContent())!.trim();
  expect(Number(predicted.create)).toBeGreaterThan(5);
  await page.getByLabel("What the run would do").selectOption("create");
  await expect(page.getByTestId("preview-row").first()).toContainText("would create");
  await expect(page.getByRole("link", { name: "Export CSV" })).toHaveAttribute(
    "href",
    /^\/api\/t\/[a-z0-9-]+\/reports\/preview\/[0-9a-f-]{36}\/rows\.csv$/,
  );

  // The run then does exactly that.
  await nav.getByRole("link", { name: "Sync", exact: true }).click();
  await page.getByRole("button", { name: "Sync invoices" }).click();
  await expect(page.getByText("succeeded", { exact: true })).toBeVisible({ timeout: 20_000 });
  await expect(page.getByTestId("run-counts")).toHaveText(
    `created${predicted.create}updated${predicted.update}unchanged${predicted.unchanged}skipped${predicted.skip}held${predicted.held}failed${predicted.fail}`,
  );

  // Someone records a payment in Zoho for one of the invoices just sent, which Splynx still has unpaid.
  const before = await reconcile(page, slug);
  const differing = new Set(before.filter((row) => row.action === "status_differs").map((row) => row.zohoId));
  const [preview] = await apiResult<{ id: string }[]>(page, "preview.latest", "query", { tenantSlug: slug });
  const { rows: created } = await apiResult<{ rows: Row[] }>(page, "preview.rows", "query", {
    tenantSlug: slug,
    reportId: preview!.id,
    actions: ["create"],
    limit: 500,
  });
  const zoho = await sandboxZohoApi(page, slug, "Demo ISP Ltd");
  let paid: { number: string; invoiceId: string } | null = null;
  for (const row of created.filter((line) => line.label.startsWith("Invoice "))) {
    const number = row.label.replace("Invoice ", "");
    const invoice = await zoho.invoiceByNumber(number);
    // Sent, or overdue by now: open, with its balance to pay.
    if (!["sent", "overdue"].includes(invoice.status) || differing.has(invoice.invoice_id)) continue;
    await zoho.recordPayment({
      customer_id: invoice.customer_id,
      payment_mode: "banktransfer",
      date: "2026-11-02",
      amount: invoice.balance,
      invoices: [{ invoice_id: invoice.invoice_id, amount_applied: invoice.balance }],
    });
    paid = { number, invoiceId: invoice.invoice_id };
    break;
  }
  expect(paid).not.toBeNull();

  const after = await reconcile(page, slug);
  expect(after.find((row) => row.action === "status_differs" && row.zohoId === paid!.invoiceId)).toMatchObject({
    label: `Invoice ${paid!.number}`,
    message: expect.stringMatching(/ in Splynx, paid in Zoho\.$/),
  });
  expect(after.filter((row) => row.action === "not_linked" && row.label.startsWith("Payment "))).toHaveLength(
    before.filter((row) => row.action === "not_linked" && row.label.startsWith("Payment ")).length + 1,
  );
  await expect(page.getByTestId("mismatch-row").filter({ hasText: `Invoice ${paid!.number}` })).toBeVisible();

  // The dashboard counts them, linking to the report.
  await nav.getByRole("link", { name: "Dashboard" }).click();
  const count = page.getByTestId("dashboard-mismatches").getByRole("link");
  await expect(count).toHaveText(`${after.length} mismatches`);
  await count.click();
  await expect(page.getByRole("heading", { name: "Reconciliation" })).toBeVisible();
});
