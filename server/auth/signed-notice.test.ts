import { describe, expect, it } from "vitest";
import { signedNotices, verifiedNotice } from "./signed-notice";

describe("signed query-string notices", () => {
  it("reads back what this server signed, under the name it was signed for", () => {
    const query = signedNotices({ error: "This connection attempt expired; start again.", warning: undefined });
    expect(Object.keys(query)).toEqual(["error", "errorSig"]);
    expect(verifiedNotice(query, "error")).toBe("This connection attempt expired; start again.");
    expect(verifiedNotice({ warning: query.error, warningSig: query.errorSig }, "warning")).toBeUndefined();
  });

  it("shows nothing a visitor wrote or changed", () => {
    const query = signedNotices({ error: "Zoho reported: access_denied" });
    expect(verifiedNotice({ error: "Call +1 555 0100 to restore your account." }, "error")).toBeUndefined();
    expect(verifiedNotice({ ...query, error: "Zoho reported: call +1 555 0100" }, "error")).toBeUndefined();
    expect(verifiedNotice({ ...query, errorSig: `${query.errorSig}x` }, "error")).toBeUndefined();
    expect(verifiedNotice({ error: [query.error!], errorSig: query.errorSig }, "error")).toBeUndefined();
  });
});
