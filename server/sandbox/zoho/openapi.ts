// Zoho's own OpenAPI files as the judge of every request the simulator accepts (with their known defects mended).
import { readFileSync } from "node:fs";
import path from "node:path";
import { Ajv, type ValidateFunction } from "ajv";
import { parse } from "yaml";

/** A documented operation, its body's schema and the longest value each of its query parameters takes. */
export type Operation = { method: string; pattern: RegExp; template: string; operationId: string; body?: string; queryLimits: Record<string, number> };

/** What is wrong with a request; `rule` names the limits the files state in prose rather than as schema keywords. */
export type RequestProblem = { path: string; message: string; rule?: "max-length" | "email" | "date"; field?: string };

type SchemaNode = {
  $ref?: string;
  type?: string;
  format?: string;
  description?: string;
  maxLength?: number;
  required?: string[];
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  allOf?: SchemaNode[];
  anyOf?: SchemaNode[];
  oneOf?: SchemaNode[];
};
type Parameter = { $ref?: string; name?: string; in?: string; description?: string };
type OperationObject = { operationId?: string; parameters?: Parameter[]; requestBody?: { content?: Record<string, { schema?: { $ref?: string } }> } };
type SpecDocument = {
  paths: Record<string, Record<string, OperationObject> & { parameters?: Parameter[] }>;
  components: { schemas: Record<string, SchemaNode>; parameters?: Record<string, Parameter> };
};

// Reference §10: top-level `invoice_id`/`amount_applied` are listed as required but belong inside `invoices[]`.
const MISPLACED_REQUIRED = new Set(["invoice_id", "amount_applied"]);

function mendDefects(schema: SchemaNode, name: string) {
  if (schema.required && /payment|credit-to-an-invoice/.test(name)) schema.required = schema.required.filter((field) => !MISPLACED_REQUIRED.has(field));
}

// Limits Zoho's API pages state that this copy of the files leaves out: "contact_name … Display Name of the contact.
// Max-length [200]" (zoho.com/books/api/v3/contacts, as reference §3.2 and public clients quote it).
const OMITTED_LIMITS: Record<string, Record<string, number>> = { contacts: { contact_name: 200 } };

// The files write limits in descriptions ("Max-length [100]", "Format [yyyy-mm-dd]"), not as keywords.
const MAX_LENGTH = /Max-length \[(\d+)\]/i;
const DATE_DESCRIBED = /yyyy-mm-dd(?!T)/i;
const EMAIL_FIELD = /^(email|\w+_email(_address)?)$/;
const EMAIL_LIST_FIELD = /_mail_ids$/;

export const ZOHO_DATE = "zoho-date";
export const ZOHO_EMAIL = "zoho-email";

/** A calendar date written yyyy-mm-dd; an empty string counts as no date (inferred). */
export function isZohoDate(value: string): boolean {
  if (value === "") return true;
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.toISOString().slice(0, 10) === value;
}

/** One address, no spaces, lists or display names; the pattern is inferred (Zoho's own is not published). */
export function isZohoEmail(value: string): boolean {
  if (value === "") return true;
  return /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+$/.test(value);
}

/** Turns the prose limits of a schema (and everything inline under it) into keywords Ajv enforces. */
function applyDescribedRules(node: SchemaNode | undefined, name: string) {
  if (!node || typeof node !== "object" || node.$ref) return;
  const limit = MAX_LENGTH.exec(node.description ?? "");
  if (limit && node.maxLength === undefined) node.maxLength = Number(limit[1]);
  if (!node.format && node.type !== "array" && node.type !== "object") {
    if (DATE_DESCRIBED.test(node.description ?? "")) node.format = ZOHO_DATE;
    else if (EMAIL_FIELD.test(name)) node.format = ZOHO_EMAIL;
  }
  if (node.items && EMAIL_LIST_FIELD.test(name) && !node.items.$ref && !node.items.format) node.items.format = ZOHO_EMAIL;
  for (const [property, child] of Object.entries(node.properties ?? {})) applyDescribedRules(child, property);
  applyDescribedRules(node.items, name);
  for (const child of [...(node.allOf ?? []), ...(node.anyOf ?? []), ...(node.oneOf ?? [])]) applyDescribedRules(child, name);
}

/** The query parameters an operation documents with a Max-length, with the `_startswith`/`_contains` variants it names. */
function queryLimits(parameters: Parameter[], components: SpecDocument["components"]): Record<string, number> {
  const limits: Record<string, number> = {};
  for (const reference of parameters) {
    const parameter = reference.$ref ? components.parameters?.[reference.$ref.split("/").pop()!] : reference;
    const limit = MAX_LENGTH.exec(parameter?.description ?? "");
    if (!parameter?.name || parameter.in !== "query" || !limit) continue;
    const variants = [...(parameter.description ?? "").matchAll(/<code>(\w+)<\/code>/g)].map((match) => match[1]!).filter((variant) => variant.startsWith(`${parameter.name}_`));
    for (const name of [parameter.name, ...variants]) limits[name] = Number(limit[1]);
  }
  return limits;
}

// Named one by one so the build traces only these files (specs/zoho-books/README.md says where they come from).
const SPEC_FILES = ["organizations", "contacts", "contact-persons", "items", "chart-of-accounts", "bank-accounts", "taxes", "currency", "invoices", "credit-notes", "customer-payments"];

/** Characters as a person counts them (code points), the way the body checks count them too. */
const characters = (value: string) => [...value].length;

export class OpenApiContract {
  private readonly operations: Operation[] = [];
  private readonly ajv = new Ajv({ strict: false, allErrors: true });
  /** Validators compiled on first use, so a process compiles only the operations it calls. */
  private readonly validators = new Map<string, ValidateFunction>();

  constructor() {
    const { ajv } = this;
    for (const format of ["int64", "int32", "float", "double", "date", "date-time", "email", "uri", "binary"]) ajv.addFormat(format, true);
    ajv.addFormat(ZOHO_DATE, { type: "string", validate: isZohoDate });
    ajv.addFormat(ZOHO_EMAIL, { type: "string", validate: isZohoEmail });
    for (const id of SPEC_FILES) {
      const document = parse(readFileSync(path.join(process.cwd(), "specs", "zoho-books", `${id}.yml`), "utf8")) as SpecDocument;
      const { schemas } = document.components;
      for (const [field, limit] of Object.entries(OMITTED_LIMITS[id] ?? {})) if (schemas[field]) schemas[field].maxLength = limit;
      for (const [name, schema] of Object.entries(schemas)) {
        mendDefects(schema, name);
        applyDescribedRules(schema, name);
      }
      ajv.addSchema({ components: document.components }, id);
      for (const [template, methods] of Object.entries(document.paths)) {
        for (const [method, operation] of Object.entries(methods)) {
          if (method === "parameters" || !(operation as OperationObject).operationId) continue;
          const { operationId, requestBody, parameters = [] } = operation as OperationObject;
          const reference = requestBody?.content?.["application/json"]?.schema?.$ref;
          this.operations.push({
            method: method.toUpperCase(),
            template,
            operationId: operationId!,
            pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, "[^/]+")}$`),
            body: reference ? `${id}${reference}` : undefined,
            queryLimits: queryLimits([...(methods.parameters ?? []), ...parameters], document.components),
          });
        }
      }
    }
  }

  /** The documented operation for a method and a path under /books/v3, if Zoho documents one. */
  operation(method: string, apiPath: string): Operation | undefined {
    // Literal paths win over templated ones (/invoices/email before /invoices/{invoice_id}).
    const candidates = this.operations.filter((operation) => operation.method === method && operation.pattern.test(apiPath));
    return candidates.sort((a, b) => (a.template.match(/\{/g)?.length ?? 0) - (b.template.match(/\{/g)?.length ?? 0))[0];
  }

  /** What is wrong with a body for this operation, by Zoho's schema and the limits its descriptions state. */
  check(operation: Operation, body: unknown): RequestProblem[] {
    if (!operation.body) return [];
    let validate = this.validators.get(operation.body);
    if (!validate) this.validators.set(operation.body, (validate = this.ajv.compile({ $ref: operation.body })));
    if (validate(body)) return [];
    return (validate.errors ?? []).map((error): RequestProblem => {
      const field = error.instancePath.split("/").filter((segment) => segment && !/^\d+$/.test(segment)).pop() ?? "";
      const rule = error.keyword === "maxLength" ? "max-length" : error.params.format === ZOHO_DATE ? "date" : error.params.format === ZOHO_EMAIL ? "email" : undefined;
      const missing = "missingProperty" in error.params ? ` (${String(error.params.missingProperty)})` : "";
      return { path: error.instancePath || "(body)", message: `${error.message ?? "is invalid"}${missing}`, ...(rule ? { rule, field } : {}) };
    });
  }

  /** Query parameters longer than the operation's documented Max-length. */
  checkQuery(operation: Operation, params: URLSearchParams): RequestProblem[] {
    return Object.entries(operation.queryLimits)
      .filter(([name, limit]) => characters(params.get(name) ?? "") > limit)
      .map(([name, limit]) => ({ path: name, message: `must NOT have more than ${limit} characters`, rule: "max-length", field: name }));
  }
}
