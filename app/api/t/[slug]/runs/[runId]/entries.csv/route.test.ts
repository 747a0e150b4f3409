// The CSV export of a run's entries: a member gets every entry, paged through, with formula-looking cells defused;
// another tenant's member gets 404 whether they name the run under its tenant's slug or their own.
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Db } from "@/db/client";
import { createRun, finishRun } from "@/db/queries/runs";
import { eq } from "drizzle-orm";
import { addEntries, saveSettingsRow, writeLink, type EntryInput } from "@/db/queries/sync";
import { syncRunEntries } from "@/db/schema";
import { makePerson, makeTenant } from "@/db/testing/fixtures";
import { registerTestDatabase } from "@/db/testing/test-database";
import type { Context } from "@/server/trpc/init";
import { victimTenant, type Victim } from "@/server/trpc/testing/victim-tenant";

// The route reads the session through the tRPC context; the test decides who is signed in.
const session = vi.hoisted(() => ({ context: null as Context | null }));
vi.mock("@/server/trpc/context", () => ({ createContext: async () => session.context }));
const { GET } = await import("./route");

const database = registerTestDatabase();

const HEADER = [
  "entity",
  "splynx_id",
  "customer",
  "document_number",
  "zoho_id",
  "action",
  "message",
  "time",
  "time_zone",
] as const;

function signIn(db: Db, person: { id: string; email: string; name: string } | null) {
  session.context = { db, person, ip: "203.0.113.7", origin: "http://localhost:3000" };
}

async function download(slug: string, runId: string) {
  const response = await GET(new Request(`http://localhost:3000/api/t/${slug}/runs/${runId}/entries.csv`), {
    params: Promise.resolve({ slug, runId }),
  });
  return { status: response.status, headers: Object.fromEntries(response.headers), body: await response.text() };
}

/** RFC 4180 as spreadsheets read it: quoted cells may hold commas, quotes (doubled) and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index]!;
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        cell += '"';
        index++;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"' && cell === "") quoted = true;
    else if (char === "," || char === "\n") {
      row.push(cell);
      cell = "";
      if (char === "\n") {
        rows.push(row);
        row = [];
      }
    } else cell += char;
  }
  expect(cell === "" && row.length === 0, "the file ends with a line break").toBe(true);
  return rows;
}

async function tenantWithRun(entries: EntryInput[]) {
  const { db } = database;
  const owner = await makePerson(db, "csv-owner");
  const tenant = await makeTenant(db, owner, "csv");
  const run = await createRun(db, {
    tenantId: tenant.id,
    trigger: "manual",
    requestedBy: owner.id,
    entities: ["customer"],
  });
  await addEntries(db, { tenantId: tenant.id, runId: run.id, entries });
  await finishRun(db, { tenantId: tenant.id, runId: run.id, status: "succeeded" });
  return { owner, tenant, run };
}

let victimOnce: Promise<Victim> | undefined;
const victim = () => (victimOnce ??= victimTenant(database.db));

beforeEach(() => {
  session.context = null;
});

describe("entries.csv", () => {
  it("writes a header and one line per entry, in order, as an attachment", async () => {
    const { db } = database;
    const { owner, tenant, run } = await tenantWithRun([
      { entity: "customer", splynxId: "1", action: "created" },
      { entity: "customer", splynxId: "2", action: "failed", message: 'Zoho said "no", twice\nand again' },
      { entity: "customer", splynxId: "3", action: "skipped", message: "inactive" },
    ]);
    signIn(db, owner);
    const { status, headers, body } = await download(tenant.slug, run.id);
    expect(status).toBe(200);
    expect(headers).toMatchObject({
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="ledgerlink-run-${run.id}.csv"`,
    });
    const rows = parseCsv(body);
    expect(rows[0]).toEqual([...HEADER]);
    expect(rows.slice(1).map((row) => row.slice(0, 7))).toEqual([
      ["customer", "1", "", "", "", "created", ""],
      ["customer", "2", "", "", "", "failed", 'Zoho said "no", twice\nand again'],
      ["customer", "3", "", "", "", "skipped", "inactive"],
    ]);
    expect(rows.slice(1).every((row) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/.test(row[7]!))).toBe(true);
    expect(rows.slice(1).map((row) => row[8])).toEqual(["UTC", "UTC", "UTC"]);
    expect(body.split("\n")[2]).toBe(`customer,2,,,,failed,"Zoho said ""no"", twice`);
  });

  it("names the customer, the document's number and the Zoho id, with times in the tenant's zone", async () => {
    const { db } = database;
    const { owner, tenant, run } = await tenantWithRun([
      { entity: "customer", splynxId: "7", action: "created" },
      { entity: "invoice", splynxId: "31", action: "failed", message: "Zoho refused it" },
      { entity: "invoice", splynxId: "32", action: "skipped", message: "dated before the export-from date" },
    ]);
    const link = { tenantId: tenant.id, organizationId: "2646610000000000001" };
    await writeLink(db, {
      ...link,
      entity: "customer",
      splynxId: "7",
      state: "synced",
      zohoId: "4600000000000000007",
      label: "Ada Lovelace",
    });
    await writeLink(db, {
      ...link,
      entity: "invoice",
      splynxId: "31",
      state: "synced",
      zohoId: "4600000000000000031",
      label: "Invoice 2026-031",
      details: { number: "2026-031", customerId: "7" },
    });
    await saveSettingsRow(db, { tenantId: tenant.id, values: { general: { timeZone: "Asia/Kolkata" } } });
    signIn(db, owner);
    const rows = parseCsv((await download(tenant.slug, run.id)).body);
    expect(rows.slice(1).map((row) => row.slice(0, 7))).toEqual([
      ["customer", "7", "Ada Lovelace", "", "4600000000000000007", "created", ""],
      ["invoice", "31", "Ada Lovelace", "2026-031", "4600000000000000031", "failed", "Zoho refused it"],
      ["invoice", "32", "", "", "", "skipped", "dated before the export-from date"],
    ]);
    const [entry] = await db.select().from(syncRunEntries).where(eq(syncRunEntries.runId, run.id)).limit(1);
    const kolkata = new Date(entry!.createdAt.getTime() + 330 * 60_000).toISOString().slice(0, 19);
    expect(rows[1]!.slice(7)).toEqual([`${kolkata}+05:30`, "Asia/Kolkata"]);
  });

  it("prefixes every cell a spreadsheet would run as a formula, and leaves the rest as they are", async () => {
    const { db } = database;
    const messages = [
      '=HYPERLINK("https://evil.example","Open")',
      "+1+1",
      "-2+3",
      "@SUM(A1:A2)",
      "\tcmd",
      "\rcmd",
      "=1,2",
      "plain = text",
      " =1+1",
      "a-b",
      "'quoted",
      "",
    ];
    const { owner, tenant, run } = await tenantWithRun(
      messages.map((message, index) => ({
        entity: "customer",
        splynxId: String(index + 1),
        action: "failed",
        message,
      })),
    );
    signIn(db, owner);
    const { body } = await download(tenant.slug, run.id);
    expect(
      parseCsv(body)
        .slice(1)
        .map((row) => row[6]),
    ).toEqual([
      '\'=HYPERLINK("https://evil.example","Open")',
      "'+1+1",
      "'-2+3",
      "'@SUM(A1:A2)",
      "'\tcmd",
      "'\rcmd",
      "'=1,2",
      "plain = text",
      " =1+1",
      "a-b",
      "'quoted",
      "",
    ]);
    const lines = body.split("\n");
    expect(lines[1]!.includes(',"\'=HYPERLINK(""https://evil.example"",""Open"")",')).toBe(true);
    expect(lines[2]!.includes(",'+1+1,")).toBe(true);
    expect(lines[5]!.includes(",'\tcmd,")).toBe(true);
    expect(lines[6]!.includes(',"\'\rcmd",')).toBe(true);
  });

  it("guards every column, not only the message", async () => {
    const { db } = database;
    const { owner, tenant, run } = await tenantWithRun([
      { entity: "customer", splynxId: "=2+5", action: "failed", message: "-" },
    ]);
    signIn(db, owner);
    expect(parseCsv((await download(tenant.slug, run.id)).body)[1]!.slice(0, 7)).toEqual([
      "customer",
      "'=2+5",
      "",
      "",
      "",
      "failed",
      "'-",
    ]);
  });

  it("pages through every entry of a long run, each once", async () => {
    const { db } = database;
    const count = 1_203;
    const { owner, tenant, run } = await tenantWithRun(
      Array.from({ length: count }, (_, index) => ({
        entity: "customer",
        splynxId: String(index + 1),
        action: "created",
      })),
    );
    signIn(db, owner);
    const rows = parseCsv((await download(tenant.slug, run.id)).body);
    expect(rows).toHaveLength(count + 1);
    expect(rows.slice(1).map((row) => row[1])).toEqual(Array.from({ length: count }, (_, index) => String(index + 1)));
  });

  it("answers an empty run with the header alone", async () => {
    const { db } = database;
    const { owner, tenant, run } = await tenantWithRun([]);
    signIn(db, owner);
    expect(await download(tenant.slug, run.id)).toMatchObject({
      status: 200,
      body: `${HEADER.join(",")}\n`,
    });
  });

  it("asks someone signed out to sign in", async () => {
    const target = await victim();
    signIn(database.db, null);
    expect(await download(target.tenant.slug, target.ids.finishedRunId)).toMatchObject({
      status: 401,
      body: "Sign in first.",
    });
  });

  it("answers 404 to another tenant's member, under the run's tenant or their own, and to a run that isn't there", async () => {
    const { db } = database;
    const target = await victim();
    const attacker = await makePerson(db, "attacker");
    const own = await makeTenant(db, attacker, "attacker");
    signIn(db, attacker);
    for (const slug of [target.tenant.slug, own.slug]) {
      for (const runId of [target.ids.finishedRunId, target.ids.activeRunId]) {
        const answer = await download(slug, runId);
        expect(answer, `${slug} ${runId}`).toMatchObject({ status: 404, body: "Not found." });
        for (const marker of target.markers) expect(answer.body).not.toContain(marker);
      }
    }
    expect(await download(own.slug, "not-a-uuid")).toMatchObject({ status: 404, body: "Not found." });
    // The victim's own owner does get the entries: the refusals above are about who asks.
    signIn(db, target.owner);
    expect((await download(target.tenant.slug, target.ids.finishedRunId)).body).toContain(
      target.markers.find((marker) => marker.startsWith("victim-entry-"))!,
    );
  });
});
