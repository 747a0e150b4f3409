// Credit notes through the engine (SPEC §6.2): numbers and totals as invoices, applied once to the invoice they credit.
import { describe, expect, it } from "vitest";
import { registerTestDatabase } from "@/db/testing/test-database";
import { compare } from "@/server/money";
import { ORGANIZATION, syncHarness } from "./testing/harness";

const database = registerTestDatabase();

async function exported() {
  const harness = await syncHarness(database.db, { customers: 40, invoices: 300 });
  await harness.mapSuggestions();
  await harness.runCustomers();
  await harness.runEntity("invoice");
  const notes = harness.splynx.store.creditNotes.all().filter((note) => note.status !== "deleted");
  expect(notes.length).toBeGreaterThan(3);
  return { harness, org: harness.zoho.store.organizations.get(ORGANIZATION)!, notes };
}

type Applied = { invoice_id: string; amount_applied: number };

describe("credit notes to Zoho", () => {
  it("exports each credit note with Splynx's total and applies it once to the Zoho invoice it credits", async () => {
    const { harness, org, notes } = await exported();
    const run = await harness.runEntity("credit_note");
    expect(run).toMatchObject({ created: notes.length, failed: 0 });
    const zohoNotes = new Map([...org.creditNotes.values()].map((note) => [String(note.creditnote_number), note]));
    for (const note of notes) {
      const zoho = zohoNotes.get(String(note.number))!;
      expect(compare(String(zoho.total), String(note.total)), String(note.number)).toBe(0);
      const applied = zoho.invoices as Applied[];
      expect(applied).toHaveLength(1);
      expect(org.invoices.get(applied[0]!.invoice_id)!.credits_applied).toBe(applied[0]!.amount_applied);
    }
    expect(await harness.runEntity("credit_note")).toMatchObject({ zohoCalls: 0, created: 0 });
  });

  it("applies a credit once when the worker stopped between the create and the apply", async () => {
    const { harness, org, notes } = await exported();
    let creates = 0;
    const stopped = await harness.runEntity("credit_note", 200, {
      crashPoint: (point) => {
        if (point === "after-link" && ++creates === 2) throw new Error("Zoho did not answer in time");
      },
    });
    expect(stopped.failed).toBe(1);
    expect([...org.creditNotes.values()].filter((note) => (note.invoices as Applied[]).length === 0)).toHaveLength(1);
    expect(await harness.runEntity("credit_note", 200, { retry: true })).toMatchObject({ updated: 1, failed: 0 });
    expect(org.creditNotes.size).toBe(notes.length);
    for (const note of org.creditNotes.values()) expect(note.invoices as Applied[]).toHaveLength(1);
  });
});
