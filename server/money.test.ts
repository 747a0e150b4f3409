import { describe, expect, it } from "vitest";
import { add, compare, divide, fromUnits, multiply, percentOf, rescale, round, toUnits } from "./money";

describe("money", () => {
  it("parses and prints exactly", () => {
    expect(toUnits("64516.1290")).toBe(645161290n);
    expect(toUnits("-3.5")).toBe(-35000n);
    expect(fromUnits(-35000n)).toBe("-3.5000");
    expect(fromUnits(5n, 2)).toBe("0.05");
    expect(() => toUnits("1e5")).toThrow("Not a decimal amount");
  });

  it("rounds half away from zero", () => {
    expect(round("2.345", 2)).toBe("2.35");
    expect(round("-2.345", 2)).toBe("-2.35");
    expect(round("2.3449", 2)).toBe("2.34");
    expect(rescale(-15n, 1, 0)).toBe(-2n);
  });

  it("multiplies and adds where floats would drift", () => {
    expect(multiply("64516.1290", "0.075")).toBe("4838.7097");
    expect(add(["0.1", "0.2"])).toBe("0.3000");
    expect(multiply("19.99", "3", 2)).toBe("59.97");
    expect(compare("1.10", "1.1")).toBe(0);
    expect(compare("-1", "0")).toBe(-1);
    expect(divide("29.99", "1.2")).toBe("24.9917");
    expect(divide("-1", "3", 2)).toBe("-0.33");
    expect(divide("2", "3", 2)).toBe("0.67");
    expect(percentOf("64516.1290", "7.5")).toBe("4838.7097");
  });
});
