import { describe, expect, it } from "vitest";
import { hashPassword, verifyPassword } from "./password";

describe("password hashing", () => {
  it("verifies the right password only, with a salted scrypt hash", async () => {
    const hash = await hashPassword("tr0ub4dor & 3");
    expect(hash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(await hashPassword("tr0ub4dor & 3")).not.toBe(hash);
    expect(await verifyPassword("tr0ub4dor & 3", hash)).toBe(true);
    expect(await verifyPassword("tr0ub4dor & 4", hash)).toBe(false);
    expect(await verifyPassword("anything", "md5$abc")).toBe(false);
  });
});
