// PHP-style bracket query strings, as Splynx reads them (`main_attributes[status][0]=IN&main_attributes[status][1][0]=active`).

export type Operator =
  | "="
  | "!="
  | ">="
  | "<="
  | ">"
  | "<"
  | "<>"
  | "IS"
  | "REGEXP"
  | "BETWEEN"
  | "LIKE"
  | "IN"
  | "FIND_IN_SET";
type Scalar = string | number;
/** A bare value means equality; otherwise an operator with its operand(s). */
export type Condition =
  | Scalar
  | readonly [Operator, Scalar]
  | readonly ["BETWEEN", Scalar, Scalar]
  | readonly ["IN", readonly Scalar[]];

export type ListQuery = {
  main_attributes?: Record<string, Condition>;
  additional_attributes?: Record<string, Condition>;
  order?: Record<string, "ASC" | "DESC">;
  limit?: number;
  offset?: number;
};

function flatten(prefix: string, value: unknown, into: [string, string][]): void {
  if (Array.isArray(value)) for (const [index, item] of value.entries()) flatten(`${prefix}[${index}]`, item, into);
  else if (value !== null && typeof value === "object")
    for (const [key, item] of Object.entries(value)) flatten(`${prefix}[${key}]`, item, into);
  else if (value !== undefined) into.push([prefix, String(value)]);
}

export function encodeListQuery(query: ListQuery): string {
  const pairs: [string, string][] = [];
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (typeof value === "object")
      for (const [name, item] of Object.entries(value)) flatten(`${key}[${name}]`, item, pairs);
    else pairs.push([key, String(value)]);
  }
  return new URLSearchParams(pairs).toString();
}
