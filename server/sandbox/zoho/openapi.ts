// Zoho's own OpenAPI files as the judge of every request the simulator accepts (with their known defects mended).
import { readFileSync } from "node:fs";
import path from "node:path";
import { Ajv, type ValidateFunction } from "ajv";
import { parse } from "yaml";

/** A documented operation: its body's schema, its answers' schemas by status, and its query parameters' longest values. */
export type Operation = {
  /** The spec file it is documented in (`invoices`, `contacts`, …). */
  file: string;
  method: string;
  pattern: RegExp;
  template: string;
  operationId: string;
  body?: string;
  responses: Record<string, string>;
  queryLimits: Record<string, number>;
  /** The OAuth scopes its `security` block requires (`ZohoBooks.contacts.READ`, …). */
  scopes: string[];
};

/** What is wrong with a request; `rule` names the limits the files state in prose rather than as schema keywords. */
export type RequestProblem = { path: string; message: string; rule?: "max-length" | "email" | "date"; field?: string };

/** What in an answer its operation's response schema does not describe. */
export type ResponseProblem = { path: string; message: string };

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
  pattern?: string;
};
type Parameter = { $ref?: string; name?: string; in?: string; description?: string };
type Content = { content?: Record<string, { schema?: { $ref?: string } }> };
type OperationObject = {
  operationId?: string;
  security?: Record<string, string[]>[];
  parameters?: Parameter[];
  requestBody?: Content;
  responses?: Record<string, Content>;
};
type SpecDocument = {
  paths: Record<string, Record<string, OperationObject> & { parameters?: Parameter[] }>;
  components: { schemas: Record<string, SchemaNode>; parameters?: Record<string, Parameter> };
};

// Reference §10: top-level `invoice_id`/`amount_applied` are listed as required but belong inside `invoices[]`.
const MISPLACED_REQUIRED = new Set(["invoice_id", "amount_applied"]);

// Reference §10 and §3.9: amounts typed string in places; Zoho sends numbers (books-java-wrappers parses them as
// doubles; public payloads of real invoice answers carry `"total": 1.08`, `"tax_amount": 0.08`). credit-notes.yml's
// `tax_amount` ("applied to the subscription", a Zoho Billing description) is read as invoices.yml types it: UNVERIFIED.
const AMOUNTS_TYPED_STRING = new Set(["total", "balance", "tax_amount"]);

// Reference §10: `page_context` is typed as an array in invoices.yml; every answer, and the other files, make it an object.
const PAGE_CONTEXT = { type: "object" } as const;

// invoices.yml types `discount` as a number yet describes "a percentage (e.g., 12.5 for 12.5%) … or a fixed amount";
// Books writes a percentage as a string, `"discount": "10.00%"` (the sales order sample of Zoho's webhook docs and
// estimates in public fixtures), so a number is an amount and "N%" a percentage.
const PERCENT_OR_AMOUNT: SchemaNode = {
  anyOf: [{ type: "number" }, { type: "string", pattern: "^-?\\d+(\\.\\d+)?%$" }],
};

function mendDefects(schema: SchemaNode, name: string, file: string) {
  if (name === "discount" && (file === "invoices" || file === "credit-notes") && schema.type === "number") {
    delete schema.type;
    delete schema.format;
    Object.assign(schema, PERCENT_OR_AMOUNT);
  }
  if (schema.required && /payment|credit-to-an-invoice/.test(name))
    schema.required = schema.required.filter((field) => !MISPLACED_REQUIRED.has(field));
  if (AMOUNTS_TYPED_STRING.has(name) && schema.type === "string") schema.type = "number";
  if (name === "page_context" && schema.type === "array") {
    delete schema.items;
    Object.assign(schema, PAGE_CONTEXT);
  }
  const properties = schema.properties ?? {};
  if (properties.page_context?.type === "array") properties.page_context = { ...PAGE_CONTEXT };
  // Reference §3.11: the payments list key is `customerpayments` in every real answer, `customer_payments` in the file.
  if (file === "customer-payments" && properties.customer_payments) {
    properties.customerpayments = properties.customer_payments;
    delete properties.customer_payments;
  }
  // credit-notes.yml types the list's `creditnotes` as one object; the answer (and the key's plural) is an array of them.
  if (name === "list-all-credit-notes-response" && properties.creditnotes?.type === "object")
    properties.creditnotes = { type: "array", items: properties.creditnotes };
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
  return /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+$/.test(
    value,
  );
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
  if (node.items && EMAIL_LIST_FIELD.test(name) && !node.items.$ref && !node.items.format)
    node.items.format = ZOHO_EMAIL;
  for (const [property, child] of Object.entries(node.properties ?? {})) applyDescribedRules(child, property);
  applyDescribedRules(node.items, name);
  for (const child of [...(node.allOf ?? []), ...(node.anyOf ?? []), ...(node.oneOf ?? [])])
    applyDescribedRules(child, name);
}

/** The query parameters an operation documents with a Max-length, with the `_startswith`/`_contains` variants it names. */
function queryLimits(parameters: Parameter[], components: SpecDocument["components"]): Record<string, number> {
  const limits: Record<string, number> = {};
  for (const reference of parameters) {
    const parameter = reference.$ref ? components.parameters?.[reference.$ref.split("/").pop()!] : reference;
    const limit = MAX_LENGTH.exec(parameter?.description ?? "");
    if (!parameter?.name || parameter.in !== "query" || !limit) continue;
    const variants = [...(parameter.description ?? "").matchAll(/<code>(\w+)<\/code>/g)]
      .map((match) => match[1]!)
      .filter((variant) => variant.startsWith(`${parameter.name}_`));
    for (const name of [parameter.name, ...variants]) limits[name] = Number(limit[1]);
  }
  return limits;
}

// Named one by one so the build traces only these files (specs/zoho-books/README.md says where they come from).
const SPEC_FILES = [
  "organizations",
  "contacts",
  "contact-persons",
  "items",
  "chart-of-accounts",
  "bank-accounts",
  "taxes",
  "currency",
  "invoices",
  "credit-notes",
  "customer-payments",
];

/** Characters as a person counts them (code points), the way the body checks count them too. */
const characters = (value: string) => [...value].length;

export class OpenApiContract {
  private readonly operations: Operation[] = [];
  private readonly ajv = new Ajv({ strict: false, allErrors: true });
  /** Validators compiled on first use, so a process compiles only the operations it calls. */
  private readonly validators = new Map<string, ValidateFunction>();

  constructor() {
    const { ajv } = this;
    for (const format of ["int64", "int32", "float", "double", "date", "date-time", "email", "uri", "binary"])
      ajv.addFormat(format, true);
    ajv.addFormat(ZOHO_DATE, { type: "string", validate: isZohoDate });
    ajv.addFormat(ZOHO_EMAIL, { type: "string", validate: isZohoEmail });
    for (const id of SPEC_FILES) {
      const document = parse(
        readFileSync(path.join(process.cwd(), "specs", "zoho-books", `${id}.yml`), "utf8"),
      ) as SpecDocument;
      const { schemas } = document.components;
      for (const [field, limit] of Object.entries(OMITTED_LIMITS[id] ?? {}))
        if (schemas[field]) schemas[field].maxLength = limit;
      for (const [name, schema] of Object.entries(schemas)) {
        mendDefects(schema, name, id);
        applyDescribedRules(schema, name);
      }
      ajv.addSchema({ components: document.components }, id);
      for (const [template, methods] of Object.entries(document.paths)) {
        for (const [method, operation] of Object.entries(methods)) {
          if (method === "parameters" || !(operation as OperationObject).operationId) continue;
          const {
            operationId,
            requestBody,
            responses = {},
            parameters = [],
            security = [],
          } = operation as OperationObject;
          const reference = requestBody?.content?.["application/json"]?.schema?.$ref;
          const answers = Object.entries(responses).flatMap(([status, answer]) => {
            const schema = answer.content?.["application/json"]?.schema?.$ref;
            return schema ? [[status, `${id}${schema}`] as const] : [];
          });
          this.operations.push({
            file: id,
            method: method.toUpperCase(),
            template,
            operationId: operationId!,
            pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, "[^/]+")}$`),
            body: reference ? `${id}${reference}` : undefined,
            responses: Object.fromEntries(answers),
            queryLimits: queryLimits([...(methods.parameters ?? []), ...parameters], document.components),
            scopes: security.flatMap((requirement) => Object.values(requirement).flat()),
          });
        }
      }
    }
  }

  /** The documented operation for a method and a path under /books/v3, if Zoho documents one. */
  operation(method: string, apiPath: string): Operation | undefined {
    // Literal paths win over templated ones (/invoices/email before /invoices/{invoice_id}).
    const candidates = this.operations.filter(
      (operation) => operation.method === method && operation.pattern.test(apiPath),
    );
    return candidates.sort(
      (a, b) => (a.template.match(/\{/g)?.length ?? 0) - (b.template.match(/\{/g)?.length ?? 0),
    )[0];
  }

  private validator(reference: string): ValidateFunction {
    const known = this.validators.get(reference);
    if (known) return known;
    const validate = this.ajv.compile({ $ref: reference });
    this.validators.set(reference, validate);
    return validate;
  }

  /** What is wrong with a body for this operation, by Zoho's schema and the limits its descriptions state. */
  check(operation: Operation, body: unknown): RequestProblem[] {
    if (!operation.body) return [];
    const validate = this.validator(operation.body);
    if (validate(body)) return [];
    return (validate.errors ?? []).map((error): RequestProblem => {
      const field =
        error.instancePath
          .split("/")
          .filter((segment) => segment && !/^\d+$/.test(segment))
          .pop() ?? "";
      const rule =
        error.keyword === "maxLength"
          ? "max-length"
          : error.params.format === ZOHO_DATE
            ? "date"
            : error.params.format === ZOHO_EMAIL
              ? "email"
              : undefined;
      const missing = "missingProperty" in error.params ? ` (${String(error.params.missingProperty)})` : "";
      return {
        path: error.instancePath || "(body)",
        message: `${error.message ?? "is invalid"}${missing}`,
        ...(rule ? { rule, field } : {}),
      };
    });
  }

  /**
   * What a successful answer carries that the operation's response schema does not describe (types, formats and the
   * limits in descriptions); fields the schema leaves out are allowed, as the files declare no `additionalProperties`.
   * An error answer has no schema in the files (reference §10), so only 2xx answers are checked.
   */
  checkResponse(operation: Operation, status: number, body: unknown): ResponseProblem[] {
    if (status < 200 || status > 299) return [];
    const reference = operation.responses[String(status)];
    if (!reference)
      return [
        {
          path: "(status)",
          message: `${operation.operationId} documents no ${status} answer (documented: ${Object.keys(operation.responses).join(", ") || "none"})`,
        },
      ];
    const validate = this.validator(reference);
    if (validate(body)) return [];
    return (validate.errors ?? []).map((error) => ({
      path: error.instancePath || "(body)",
      message: error.message ?? "is invalid",
    }));
  }

  /** Query parameters longer than the operation's documented Max-length. */
  checkQuery(operation: Operation, params: URLSearchParams): RequestProblem[] {
    return Object.entries(operation.queryLimits)
      .filter(([name, limit]) => characters(params.get(name) ?? "") > limit)
      .map(([name, limit]) => ({
        path: name,
        message: `must NOT have more than ${limit} characters`,
        rule: "max-length",
        field: name,
      }));
  }
}
