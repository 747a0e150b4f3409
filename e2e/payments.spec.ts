// Payments both ways on the sandbox: Splynx payments exported to Zoho leave the invoices they pay Paid there; a payment
// recorded in the simulated Zoho comes into Splynx on its invoice, which is then paid, and the month's statement lists it.
import { expect, test, type Page } from "@playwright/test";
import { SANDBOX_SPLYNX_KEYS } from "@/server/sandbox";
import { signatureHeader } from "@/server/splynx/signature";
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

// The sandbox's seed from 2026-10-28 on: two cash payments (method 1), each paying its invoice in full, and invoice
// 202602000048 (Splynx 365) that nothing pays yet. Method 7 ("Zoho Books") is the one imported payments get.
const SETTINGS = {
  general: { existingMatch: "pair", exportFromDate: "2026-10-28" },
  paymentsExport: { enabled: true, allowedMethodIds: ["1"], defaultPaymentMode: "cash" },
  paymentsImport: { enabled: true, accountingMethodId: "7" },
};
const PAID_BY_CASH = ["202601000346", "202601000562"];
const UNPAID = { splynxId: 365, number: "202602000048", due: 35.5 };

/** Starts a run through the API the Sync page calls, and waits for it to succeed with nothing failed. */
async function syncAndWait(page: Page, slug: string, start: Record<string, unknown>) {
  const { runId } = await apiResult<{ runId: string }>(page, "sync.start", "mutation", { tenantSlug: slug, ...start });
  await expect
    .poll(
      async () => {
        type Run = { status: string; counts: { failed: number } };
        const { status, counts } = await apiResult<Run>(page, "sync.run", "query", { tenantSlug: slug, runId });
        return { status, failed: counts.failed };
      },
      { timeout: 20_000 },
    )
    .toEqual({ status: "succeeded", failed: 0 });
}

/** The tenant's sandbox Splynx over HTTP with its read-only key, as any other tool would read it. */
async function splynxGet(page: Page, slug: string, path: string) {
  const { key, secret } = SANDBOX_SPLYNX_KEYS.readOnly;
  const response = await page.request.get(`/sandbox/${slug}/splynx/api/2.0/${path}`, {
    headers: { authorization: signatureHeader({ key, secret, nonce: Date.now() }) },
  });
  expect(response.status(), await response.text()).toBe(200);
  return response.json();
}

test("payments go to Zoho and leave the invoice Paid; a payment recorded in Zoho comes into Splynx and its statement", async ({
  page,
}) => {
  test.setTimeout(40_000);
  await signUp(page, { name: "Paula Payments", email: uniqueEmail("paula") });
  const slug = await createTenant(page, "Paying ISP");
  await connectSandboxSplynx(page, slug);
  await connectSandboxZoho(page, slug, "Demo ISP Ltd");
  await mapBySuggestions(page, slug);
  await apiResult(page, "settings.save", "mutation", { tenantSlug: slug, settings: SETTINGS });

  // The recent invoices, then the cash payments, applied to the invoices they pay.
  await syncAndWait(page, slug, { entities: ["invoice", "payment"] });
  const zoho = await sandboxZohoApi(page, slug, "Demo ISP Ltd");
  for (const number of PAID_BY_CASH)
    expect(await zoho.invoiceByNumber(number)).toMatchObject({ status: "paid", balance: 0 });

  // Someone records the unpaid invoice's payment in Zoho itself; the import brings it into Splynx.
  const unpaid = await zoho.invoiceByNumber(UNPAID.number);
  // Open in Zoho ("sent", or "overdue" once its due date has passed), and owing all of it.
  expect(unpaid).toMatchObject({ status: expect.stringMatching(/^(sent|overdue)$/), balance: UNPAID.due });
  const today = new Date().toISOString().slice(0, 10);
  const paymentId = await zoho.recordPayment({
    customer_id: unpaid.customer_id,
    payment_mode: "banktransfer",
    date: today,
    amount: UNPAID.due,
    invoices: [{ invoice_id: unpaid.invoice_id, amount_applied: UNPAID.due }],
  });
  await syncAndWait(page, slug, { entities: ["payment_import"], paymentsImportMode: "new" });

  expect(await splynxGet(page, slug, `admin/finance/invoices/${UNPAID.splynxId}`)).toMatchObject({ status: "paid" });
  const imported = await splynxGet(page, slug, `admin/finance/payments?main_attributes[field_1]=${paymentId}`);
  expect(imported).toHaveLength(1);
  expect(imported[0]).toMatchObject({ invoice_id: UNPAID.splynxId, payment_type: 7 });
  const [statement] = await splynxGet(
    page,
    slug,
    `admin/finance/bank-statements?main_attributes[title]=${encodeURIComponent(`Ledgerlink: payments from Zoho Books ${today.slice(0, 7)}`)}`,
  );
  expect(imported[0].payment_statement_id).toBe(statement.id);
  const lines = await splynxGet(
    page,
    slug,
    `admin/finance/bank-statements-records?main_attributes[bank_statements_process_id]=${statement.id}`,
  );
  expect(lines.filter((line: { payment_id: number }) => line.payment_id === imported[0].id)).toHaveLength(1);

  // Records shows the imported payment from both sides: Zoho's number, the Splynx payment, the invoice it paid.
  await page.goto(`/t/${slug}/records?entity=payment_import`);
  const row = page.getByTestId("payment-row").filter({ hasText: UNPAID.number });
  await expect(row).toContainText(String(imported[0].id));
  await expect(row).toContainText("Zoho → Splynx");
  await expect(row).toContainText("synced");
  await page.goto(`/t/${slug}/records?entity=payment`);
  await page.getByLabel("State").selectOption("synced");
  const exported = page.getByTestId("payment-row").filter({ hasText: PAID_BY_CASH[0]! });
  await expect(exported).toContainText("Splynx → Zoho");
});
