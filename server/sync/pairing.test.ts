// Pairing's pure rules: each customer's state in one organization, and suggestions that include held customers.
import { describe, expect, it } from "vitest";
import type { Link } from "@/db/queries/sync";
import {
  heldContacts,
  linksOf,
  pairingRows,
  pairingSuggestions,
  type PairingContact,
  type PairingCustomer,
} from "./pairing";

const ORG = "2646610000000000001";
const OTHER = "3719820000000000001";

const link = (splynxId: string, values: Partial<Link>): Link => ({
  tenantId: "t",
  entity: "customer",
  splynxId,
  zohoId: null,
  organizationId: ORG,
  fingerprint: null,
  intentKey: null,
  claimId: null,
  claimedUntil: null,
  candidateId: null,
  createConfirmed: false,
  failures: 0,
  retryAfter: null,
  state: "pending",
  message: null,
  manual: false,
  label: null,
  details: null,
  updatedAt: new Date(),
  syncedAt: null,
  ...values,
});

const customers: PairingCustomer[] = [
  { splynxId: "1", name: "Ada Lovelace", email: "ada@example.test" },
  { splynxId: "2", name: "Alan Turing", email: "alan@example.test" },
  { splynxId: "3", name: "Grace Hopper", email: "grace@example.test" },
  { splynxId: "4", name: "Edsger Dijkstra", email: "" },
  { splynxId: "5", name: "Barbara Liskov", email: "barbara@example.test" },
];
const contacts: PairingContact[] = [
  { contactId: "11", name: "Ada L. (typed by hand)", email: "ADA@example.test" },
  { contactId: "12", name: "Alan Turing", email: "alan@example.test" },
  { contactId: "13", name: "Grace Hopper", email: "grace@example.test" },
  { contactId: "14", name: "Edsger Dijkstra", email: "" },
];

describe("pairing rows", () => {
  it("computes states against the organization: another organization's link is not paired", () => {
    const all = new Map([
      [
        "1",
        link("1", {
          state: "held",
          candidateId: "11",
          message: "Zoho already holds record 11 with the same e-mail: review it on Pairing before it syncs.",
        }),
      ],
      ["2", link("2", { state: "synced", zohoId: "12", organizationId: OTHER })],
      ["3", link("3", { state: "synced", zohoId: "13", manual: true })],
      ["4", link("4", { state: "held", candidateId: "13", message: "held" })],
      [
        "5",
        link("5", {
          state: "pending",
          createConfirmed: true,
          message: "A person chose to create it in Zoho; the next run does.",
        }),
      ],
    ]);
    const rows = pairingRows(
      customers,
      linksOf(all, ORG),
      new Map(contacts.map((contact) => [contact.contactId, contact])),
    );
    expect(rows.map((row) => [row.splynxId, row.state, row.zohoId, row.candidate?.contactId ?? null])).toEqual([
      ["1", "held", null, "11"],
      ["2", "not_paired", null, null],
      ["3", "paired", "13", null],
      ["4", "held", null, null],
      ["5", "not_paired", null, null],
    ]);
    expect(rows[3]!.note).toBe("held That Zoho contact now belongs to another customer.");
    expect(rows[4]!.note).toBe("A person chose to create it in Zoho; the next run does.");
    expect(pairingRows(customers, linksOf(all, null), new Map()).every((row) => row.state === "not_paired")).toBe(true);
  });
});

describe("pairing suggestions", () => {
  it("suggests a held customer's candidate even where e-mail and name differ, and every free match once", () => {
    const links = linksOf(
      new Map([
        ["1", link("1", { state: "held", candidateId: "11" })],
        ["2", link("2", { state: "synced", zohoId: "99", organizationId: OTHER })],
      ]),
      ORG,
    );
    const suggestions = pairingSuggestions(customers, contacts, links, heldContacts(links));
    expect(
      suggestions.map((suggestion) => [suggestion.splynxId, suggestion.contactId, suggestion.reason, suggestion.held]),
    ).toEqual([
      ["1", "11", "same e-mail", true],
      ["2", "12", "same e-mail", false],
      ["3", "13", "same e-mail", false],
      ["4", "14", "same name", false],
    ]);
  });

  it("suggests a contact two customers want to neither, held or not", () => {
    const links = linksOf(new Map([["1", link("1", { state: "held", candidateId: "12" })]]), ORG);
    const suggestions = pairingSuggestions(customers, contacts, links, heldContacts(links));
    expect(suggestions.map((suggestion) => suggestion.splynxId)).toEqual(["3", "4"]);
  });
});

describe("pairing suggestions where e-mail and name point at one contact", () => {
  it("suggests the exact e-mail match even when another customer has the contact's name", () => {
    const people: PairingCustomer[] = [
      { splynxId: "1", name: "Ada Lovelace", email: "ada@example.test" },
      { splynxId: "2", name: "Countess of Lovelace", email: "countess@example.test" },
    ];
    const zoho: PairingContact[] = [{ contactId: "11", name: "Countess of Lovelace", email: "ADA@example.test" }];
    const suggestions = pairingSuggestions(people, zoho, new Map(), new Set());
    expect(suggestions.map((suggestion) => [suggestion.splynxId, suggestion.contactId, suggestion.reason])).toEqual([
      ["1", "11", "same e-mail"],
    ]);
  });

  it("still suggests a contact two customers want by e-mail to neither", () => {
    const people: PairingCustomer[] = [
      { splynxId: "1", name: "Ada Lovelace", email: "shared@example.test" },
      { splynxId: "2", name: "Alan Turing", email: "shared@example.test" },
      { splynxId: "3", name: "Shared Mailbox", email: "" },
    ];
    const zoho: PairingContact[] = [{ contactId: "11", name: "Shared Mailbox", email: "shared@example.test" }];
    expect(pairingSuggestions(people, zoho, new Map(), new Set())).toEqual([]);
  });
});
