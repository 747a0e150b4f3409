// The setup of a new ISP as one ordered path, so the dashboard can name the one next step and link to its page.

export type SetupFacts = {
  splynxSaved: boolean;
  splynxTested: boolean;
  zohoConnected: boolean;
  zohoNeedsReconnect: boolean;
  organizationChosen: boolean;
  mappingLoaded: boolean;
  /** Categories, taxes and payment methods in use that have no Zoho counterpart yet. */
  unmappedUsed: number;
  /** The Zoho customers were loaded on Pairing at least once, so existing contacts could be matched. */
  zohoCustomersLoaded: boolean;
  /** Customers a sync held because Zoho already holds a contact each would duplicate. */
  heldCustomers: number;
  firstSyncDone: boolean;
  scheduleOn: boolean;
};

export type SetupStep = { id: string; label: string; done: boolean; detail: string; href: string };

/** The steps in the order they must be taken; each is done only when those before it are. */
export function setupSteps(facts: SetupFacts, base: string): SetupStep[] {
  const raw: [boolean, Omit<SetupStep, "done">][] = [
    [
      facts.splynxTested,
      {
        id: "splynx",
        label: "Connect Splynx",
        detail: facts.splynxSaved
          ? "Test the Splynx connection until every check passes."
          : "Enter your Splynx address and API key, then test the connection.",
        href: `${base}/connections/splynx`,
      },
    ],
    [
      facts.zohoConnected,
      {
        id: "zoho",
        label: facts.zohoNeedsReconnect ? "Reconnect Zoho Books" : "Connect Zoho Books",
        detail: facts.zohoNeedsReconnect
          ? "Zoho refused the stored authorization; connect again. Scheduled syncs wait until then."
          : "Choose your Zoho region and sign in to Zoho to allow Ledgerlink access.",
        href: `${base}/connections/zoho`,
      },
    ],
    [
      facts.organizationChosen,
      {
        id: "organization",
        label: "Choose the Zoho organization",
        detail: "Pick the Zoho Books organization this ISP's books are kept in.",
        href: `${base}/connections/zoho`,
      },
    ],
    [
      facts.mappingLoaded,
      {
        id: "load",
        label: "Load mapping data",
        detail:
          "Read the categories, taxes and payment methods from Splynx and the items, taxes and accounts from Zoho.",
        href: `${base}/mapping`,
      },
    ],
    [
      facts.unmappedUsed === 0,
      {
        id: "map",
        label: "Map categories, taxes and payment methods",
        detail: `${facts.unmappedUsed} in use still ${facts.unmappedUsed === 1 ? "has" : "have"} no Zoho counterpart.`,
        href: `${base}/mapping`,
      },
    ],
    [
      facts.zohoCustomersLoaded && facts.heldCustomers === 0,
      {
        id: "review",
        label: "Review existing Zoho matches",
        detail: facts.zohoCustomersLoaded
          ? `${facts.heldCustomers} ${facts.heldCustomers === 1 ? "customer waits" : "customers wait"} for you to pair or create.`
          : "Load the Zoho customers so those Zoho already holds are paired, not created twice.",
        href: `${base}/pairing${facts.zohoCustomersLoaded ? "?state=held" : ""}`,
      },
    ],
    [
      facts.firstSyncDone,
      {
        id: "sync",
        label: "Run the first sync",
        detail: "Start a sync of everything and watch its progress.",
        href: `${base}/sync`,
      },
    ],
    [
      facts.scheduleOn,
      {
        id: "schedule",
        label: "Turn on the schedule",
        detail: "Choose a launch time and what to sync every day.",
        href: `${base}/settings#schedule`,
      },
    ],
  ];
  let before = true;
  return raw.map(([done, step]) => {
    before = before && done;
    return { ...step, done: before };
  });
}

/** The first step not done, or null when the ISP is set up. */
export const nextSetupStep = (steps: SetupStep[]) => steps.find((step) => !step.done) ?? null;
