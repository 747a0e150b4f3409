// The run summary the Sync page and the log share: held counted beside the others, a pause read as a notice with when
// the run goes on, a failure as an error, and the entity a running run is on.
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { RunSummary, type RunView } from "./run-summary";
import { TimeZoneProvider } from "./zoned-time";

const at = new Date("2026-11-01T10:00:00Z");
const run = (overrides: Partial<RunView>): RunView => ({
  id: "run",
  status: "succeeded",
  trigger: "manual",
  entities: ["customer", "invoice"],
  counts: { created: 3, updated: 1, unchanged: 5, skipped: 2, failed: 0, held: 4 },
  progress: { done: 15, total: 15, step: "succeeded" },
  zohoCalls: 9,
  error: null,
  resumeAt: null,
  createdAt: at,
  startedAt: at,
  finishedAt: at,
  ...overrides,
});
const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, " ")
    .replace(/\s+/g, " ")
    .trim();

describe("RunSummary", () => {
  it("counts held records beside the others", () => {
    expect(text(renderToStaticMarkup(createElement(RunSummary, { run: run({}) })))).toContain(
      "created 3 updated 1 unchanged 5 skipped 2 held 4 failed 0",
    );
  });

  it("shows a paused run's reason as a notice, not an error, with when it goes on", () => {
    const reason =
      "Paused: 900 of Zoho's 5000 calls for today are left, and 20 % (1000) is kept for the ISP's other integrations.";
    const summary = createElement(RunSummary, {
      run: run({
        status: "paused",
        progress: { done: 7, total: 15, step: "paused" },
        error: reason,
        resumeAt: new Date("2026-11-02T00:00:00Z"),
      }),
    });
    // In the tenant's zone, labelled with it.
    const html = renderToStaticMarkup(createElement(TimeZoneProvider, { timeZone: "Asia/Tokyo" }, summary));
    expect(html).toContain('role="status"');
    expect(html).not.toContain('role="alert"');
    expect(html).not.toContain("text-red-700");
    expect(text(html)).toMatch(
      /Paused: 900 of Zoho.+s 5000 calls .* It goes on by itself at 2 Nov 2026, 09:00 GMT\+9\.$/,
    );
  });

  it("shows a failed run's error as an error, with its cause and fix in words", () => {
    const html = renderToStaticMarkup(
      createElement(RunSummary, { run: run({ status: "failed", error: "Zoho Books needs reconnecting." }) }),
    );
    expect(html).toContain('<p class="text-red-700">Zoho Books needs reconnecting.<span');
    expect(text(html)).toContain(
      "Zoho Books needs reconnecting. Zoho no longer accepts the stored authorization. Reconnect Zoho Books.",
    );
  });

  it("marks the entity a running run is on", () => {
    const html = renderToStaticMarkup(
      createElement(RunSummary, {
        run: run({ status: "running", progress: { done: 7, total: 15, step: "invoice" }, finishedAt: null }),
      }),
    );
    expect(html).toMatch(/<li[^>]*aria-current="step"[^>]*>.*invoices/);
    expect(text(html)).toContain("now on invoices");
    expect(renderToStaticMarkup(createElement(RunSummary, { run: run({}) }))).not.toContain("aria-current");
  });
});
