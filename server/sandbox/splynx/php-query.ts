// Splynx's list parameters as PHP reads them: bracket keys into nested values, then the documented operators.

export type PhpValue = string | PhpValue[] | { [key: string]: PhpValue };

/** `a[b][0]=x&a[b][1]=y` → `{a: {b: ["x", "y"]}}`; numeric-keyed objects become arrays, as PHP lists do. */
export function parsePhpQuery(params: URLSearchParams): Record<string, PhpValue> {
  const root: Record<string, PhpValue> = {};
  for (const [rawKey, value] of params) {
    const match = /^([^[]+)((?:\[[^\]]*\])*)$/.exec(rawKey);
    if (!match) continue;
    const keys = [match[1]!, ...[...match[2]!.matchAll(/\[([^\]]*)\]/g)].map((part) => part[1]!)];
    let node: Record<string, PhpValue> = root;
    keys.forEach((key, index) => {
      const slot = key === "" ? String(Object.keys(node).length) : key;
      if (index === keys.length - 1) node[slot] = value;
      else {
        if (typeof node[slot] !== "object" || node[slot] === null) node[slot] = {};
        node = node[slot] as Record<string, PhpValue>;
      }
    });
  }
  return listify(root) as Record<string, PhpValue>;
}

function listify(value: PhpValue): PhpValue {
  if (typeof value === "string" || Array.isArray(value)) return value;
  const entries = Object.entries(value).map(([key, item]) => [key, listify(item)] as const);
  const isList = entries.length > 0 && entries.every(([key], index) => key === String(index));
  return isList ? entries.map(([, item]) => item) : Object.fromEntries(entries);
}

export class QueryError extends Error {}

const OPERATORS = new Set([
  "=",
  "!=",
  ">=",
  "<=",
  ">",
  "<",
  "<>",
  "IS",
  "REGEXP",
  "BETWEEN",
  "LIKE",
  "IN",
  "FIND_IN_SET",
]);

const isNumeric = (value: unknown) =>
  value !== null &&
  value !== "" &&
  !Array.isArray(value) &&
  typeof value !== "object" &&
  Number.isFinite(Number(value));

function compareValues(left: unknown, right: string): number {
  if (isNumeric(left) && isNumeric(right)) return Number(left) - Number(right);
  return String(left ?? "").localeCompare(right);
}

/** Whether one field's value satisfies a condition as Splynx's MySQL-backed search would. */
export function satisfies(fieldValue: unknown, condition: PhpValue): boolean {
  if (typeof condition === "string") return compareValues(fieldValue, condition) === 0;
  if (!Array.isArray(condition)) throw new QueryError("A condition must be a value or [operator, operand]");
  const [operator, ...operands] = condition;
  if (typeof operator !== "string" || !OPERATORS.has(operator.toUpperCase()))
    throw new QueryError(`Unknown operator "${String(operator)}"`);
  const operand = operands[0];
  const text = typeof operand === "string" ? operand : "";
  switch (operator.toUpperCase()) {
    case "=":
      return compareValues(fieldValue, text) === 0;
    case "!=":
    case "<>":
      return compareValues(fieldValue, text) !== 0;
    case ">":
      return compareValues(fieldValue, text) > 0;
    case "<":
      return compareValues(fieldValue, text) < 0;
    case ">=":
      return compareValues(fieldValue, text) >= 0;
    case "<=":
      return compareValues(fieldValue, text) <= 0;
    case "IS": {
      const isNull = fieldValue === null || fieldValue === undefined;
      return text.toUpperCase() === "NOT NULL" ? !isNull : isNull;
    }
    case "REGEXP":
      return new RegExp(text, "i").test(String(fieldValue ?? ""));
    case "LIKE": {
      // Yii wraps the value in %…%: a case-insensitive substring match.
      return String(fieldValue ?? "")
        .toLowerCase()
        .includes(text.toLowerCase());
    }
    case "BETWEEN": {
      const upper = operands[1];
      if (typeof upper !== "string") throw new QueryError("BETWEEN needs two values");
      return compareValues(fieldValue, text) >= 0 && compareValues(fieldValue, upper) <= 0;
    }
    case "IN": {
      const list = Array.isArray(operand)
        ? operand
        : typeof operand === "object" && operand
          ? Object.values(operand)
          : [operand];
      return list.some((item) => typeof item === "string" && compareValues(fieldValue, item) === 0);
    }
    case "FIND_IN_SET":
      return String(fieldValue ?? "")
        .split(",")
        .map((item) => item.trim())
        .includes(text);
  }
  return false;
}
