// All money arithmetic: exact decimal strings in and out, BigInt units in between, never binary floats.

/** Units of 1/10^scale as a BigInt; accepts "12", "-3.5", "64516.1290". */
export function toUnits(value: string, scale = 4): bigint {
  const match = /^(-)?(\d+)(?:\.(\d+))?$/.exec(value.trim());
  if (!match) throw new Error(`Not a decimal amount: "${value}"`);
  const [, sign, whole, fraction = ""] = match;
  const digits =
    fraction.length > scale
      ? roundDigits(whole! + fraction, fraction.length - scale)
      : BigInt(whole! + fraction.padEnd(scale, "0"));
  return sign ? -digits : digits;
}

// Rounds a non-negative digit string by dropping `drop` digits, half away from zero.
function roundDigits(digits: string, drop: number): bigint {
  const kept = BigInt(digits.slice(0, digits.length - drop) || "0");
  return Number(digits[digits.length - drop]) >= 5 ? kept + 1n : kept;
}

export function fromUnits(units: bigint, scale = 4): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, "0");
  const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return negative ? `-${text}` : text;
}

/** Changes the scale of a unit count, rounding half away from zero when it shrinks. */
export function rescale(units: bigint, from: number, to: number): bigint {
  if (to >= from) return units * 10n ** BigInt(to - from);
  const divisor = 10n ** BigInt(from - to);
  const magnitude = units < 0n ? -units : units;
  const rounded = (magnitude + divisor / 2n) / divisor;
  return units < 0n ? -rounded : rounded;
}

/** a × b for decimal strings, rounded half away from zero to `scale` places. */
export function multiply(a: string, b: string, scale = 4): string {
  return fromUnits(rescale(toUnits(a, 8) * toUnits(b, 8), 16, scale), scale);
}

export function add(values: string[], scale = 4): string {
  return fromUnits(
    values.reduce((sum, value) => sum + toUnits(value, scale), 0n),
    scale,
  );
}

export function round(value: string, places: number): string {
  return fromUnits(toUnits(value, places), places);
}

export function compare(a: string, b: string): -1 | 0 | 1 {
  const difference = toUnits(a, 8) - toUnits(b, 8);
  return difference < 0n ? -1 : difference > 0n ? 1 : 0;
}

/** a ÷ b, rounded half away from zero to `scale` places. */
export function divide(a: string, b: string, scale = 4): string {
  const denominator = toUnits(b, 12);
  if (denominator === 0n) throw new Error("Division by zero");
  const numerator = toUnits(a, 12) * 10n ** BigInt(scale);
  const negative = numerator < 0n !== denominator < 0n;
  const magnitude = (numerator < 0n ? -numerator : numerator) * 2n;
  const divisor = denominator < 0n ? -denominator : denominator;
  const rounded = (magnitude / divisor + 1n) / 2n;
  return fromUnits(negative ? -rounded : rounded, scale);
}

/** `rate` percent of `amount` ("7.5" of "100" is "7.5000"). */
export function percentOf(amount: string, rate: string, scale = 4): string {
  return multiply(amount, fromUnits(toUnits(rate, 8) / 100n, 8), scale);
}

export function negate(value: string): string {
  return value.startsWith("-") ? value.slice(1) : `-${value}`;
}
