// Two worker processes sharing one PostgreSQL keep a burst of 1,000 calls under Zoho's per-window limit.
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPostgres } from "@/db/client";
import { consentAndExchange, startZoho } from "./testing/zoho-fixture";

const run = promisify(execFile);
const serverUrl = process.env.TEST_DATABASE_URL;
let zoho: Awaited<ReturnType<typeof startZoho>>;
const WINDOW_MS = 500;

beforeAll(async () => {
  zoho = await startZoho({ windowMs: WINDOW_MS });
});
afterAll(() => zoho.server.close());

describe.skipIf(!serverUrl)("ZohoLimiter across processes", () => {
  it("keeps 1,000 calls from two workers under 100 per window with no 429", async () => {
    const { default: postgres } = await import("postgres");
    const name = `limiter_${randomUUID().replaceAll("-", "")}`;
    const admin = postgres(serverUrl!, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    const url = new URL(serverUrl!);
    url.pathname = `/${name}`;
    await (await openPostgres(url.toString(), { max: 1 })).close();

    const { accessToken } = await consentAndExchange(zoho.url);
    const worker = () => run("node", ["--import", "tsx", "server/zoho/testing/burst-worker.ts", url.toString(), zoho.url, accessToken, "500", String(WINDOW_MS)], { timeout: 90_000 });
    const reports = (await Promise.all([worker(), worker()])).map((output) => JSON.parse(output.stdout.trim().split("\n").pop()!) as { sent: number; failures: number; seconds: number });

    expect(reports.map((report) => report.failures)).toEqual([0, 0]);
    expect(reports.reduce((sum, report) => sum + report.sent, 0)).toBe(1000);
    expect(zoho.simulator.peaks.rejected429).toBe(0);
    expect(zoho.simulator.peaks.perWindow).toBeLessThanOrEqual(100);
    expect(zoho.simulator.calls.get("GET /settings/currencies")).toBe(1000);
    await admin.unsafe(`drop database ${name} with (force)`);
    await admin.end();
  }, 120_000);
});
