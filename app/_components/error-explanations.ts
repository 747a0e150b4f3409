// What a failure means for people: from the verbatim message Splynx, Zoho or the sync wrote, the kind of failure, its
// cause and fix in words, and the page (within the workspace) where it is fixed. One table for every screen.

export type Explanation = { cause: string; fix: string; path: string };

type Kind = { matches: RegExp; explanation: Explanation };

const SPLYNX = "connections/splynx";
const ZOHO = "connections/zoho";

const KINDS: Kind[] = [
  {
    matches: /ENOTFOUND|EAI_AGAIN|getaddrinfo/,
    explanation: {
      cause: "Splynx did not answer at that address: no server is known by that name.",
      fix: "Check the Splynx URL",
      path: SPLYNX,
    },
  },
  {
    matches: /ECONNREFUSED|ECONNRESET|EHOSTUNREACH|ENETUNREACH/,
    explanation: {
      cause: "Nothing answered at the Splynx address, or the connection was cut.",
      fix: "Check the Splynx URL and that Splynx is reachable",
      path: SPLYNX,
    },
  },
  {
    matches: /CERT|certificate|self[- ]signed/i,
    explanation: {
      cause: "The Splynx site's security certificate was not accepted.",
      fix: "Use the Splynx address its certificate is issued for",
      path: SPLYNX,
    },
  },
  {
    matches: /redirected to .*check the base URL|not a public https address|not allowed/i,
    explanation: {
      cause: "The Splynx address points somewhere Ledgerlink may not or cannot follow.",
      fix: "Enter the Splynx address itself, starting with https://",
      path: SPLYNX,
    },
  },
  {
    matches: /Splynx did not answer .* within/,
    explanation: {
      cause: "Splynx took too long to answer.",
      fix: "Try again later; if it keeps happening, check Splynx's load",
      path: SPLYNX,
    },
  },
  {
    matches: /signature|nonce|API key|Splynx answered 401/i,
    explanation: {
      cause: "Splynx refused the API key or secret.",
      fix: "Enter the key and secret again and test the connection",
      path: SPLYNX,
    },
  },
  {
    matches: /Splynx answered 403|permission/i,
    explanation: {
      cause: "The Splynx API key lacks a permission the sync needs.",
      fix: "Grant it in Splynx (Administration → API keys), then test the connection",
      path: SPLYNX,
    },
  },
  {
    matches: /has no Zoho item/,
    explanation: {
      cause: "A transaction category has no Zoho item to put on the line.",
      fix: "Map it on Accounting categories",
      path: "mapping?screen=category_item",
    },
  },
  {
    matches: /has no Zoho tax/,
    explanation: {
      cause: "A Splynx tax has no Zoho tax to apply.",
      fix: "Map it on Tax rates",
      path: "mapping?screen=tax",
    },
  },
  {
    matches: /not linked to a Splynx customer/,
    explanation: {
      cause: "The Zoho customer is not paired with a Splynx customer, and Ledgerlink never guesses one.",
      fix: "Pair the customer",
      path: "pairing",
    },
  },
  {
    matches: /needs reconnecting|invalid_grant|invalid oauth|refresh token|no longer reachable with this connection/i,
    explanation: {
      cause: "Zoho no longer accepts the stored authorization.",
      fix: "Reconnect Zoho Books",
      path: ZOHO,
    },
  },
  {
    matches: /calls for today|daily (API )?(quota|limit)/i,
    explanation: {
      cause: "Zoho's allowance of API calls for today is used up (or only the reserve is left).",
      fix: "Nothing to do: the run goes on after Zoho's daily reset; the reserve is set in Settings",
      path: "settings",
    },
  },
];

/** The kind of failure a message names, or null when it names none this table knows (the message then stands alone). */
export function explainError(message: string | null | undefined): Explanation | null {
  if (!message) return null;
  return KINDS.find((kind) => kind.matches.test(message))?.explanation ?? null;
}
