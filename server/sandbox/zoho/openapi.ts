// Zoho's own OpenAPI files as the judge of every request body the simulator accepts (with their known defects mended).
import { readFileSync } from "node:fs";
import path from "node:path";
import { Ajv, type ValidateFunction } from "ajv";
import { parse } from "yaml";

type Operation = { method: string; pattern: RegExp; template: string; operationId: string; validate?: ValidateFunction };

// Reference §10: top-level `invoice_id`/`amount_applied` are listed as required but belong inside `invoices[]`.
const MISPLACED_REQUIRED = new Set(["invoice_id", "amount_applied"]);

function mendDefects(schema: { required?: string[] } | undefined, names: string[]) {
  if (schema?.required && names.some((name) => /payment|credit-to-an-invoice/.test(name))) {
    schema.required = schema.required.filter((field) => !MISPLACED_REQUIRED.has(field));
  }
}

export type BodyProblem = { path: string; message: string };

// Named one by one so the build traces only these files (specs/zoho-books/README.md says where they come from).
const SPEC_FILES = ["organizations", "contacts", "contact-persons", "items", "chart-of-accounts", "bank-accounts", "taxes", "currency", "invoices", "credit-notes", "customer-payments"];

export class OpenApiContract {
  private readonly operations: Operation[] = [];

  constructor() {
    const ajv = new Ajv({ strict: false, allErrors: true });
    for (const format of ["int64", "int32", "float", "double", "date", "date-time", "email", "uri", "binary"]) ajv.addFormat(format, true);
    for (const id of SPEC_FILES) {
      const document = parse(readFileSync(path.join(process.cwd(), "specs", "zoho-books", `${id}.yml`), "utf8")) as {
        paths: Record<string, Record<string, { operationId?: string; requestBody?: { content?: Record<string, { schema?: { $ref?: string } }> } }>>;
        components: { schemas: Record<string, { required?: string[] }> };
      };
      for (const [name, schema] of Object.entries(document.components.schemas)) mendDefects(schema, [name]);
      ajv.addSchema({ components: document.components }, id);
      for (const [template, methods] of Object.entries(document.paths)) {
        for (const [method, operation] of Object.entries(methods)) {
          if (!operation?.operationId) continue;
          const reference = operation.requestBody?.content?.["application/json"]?.schema?.$ref;
          this.operations.push({
            method: method.toUpperCase(),
            template,
            operationId: operation.operationId,
            pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, "[^/]+")}$`),
            validate: reference ? ajv.compile({ $ref: `${id}${reference}` }) : undefined,
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

  /** What is wrong with a body for this operation, by Zoho's schema; empty when it conforms. */
  check(operation: Operation, body: unknown): BodyProblem[] {
    if (!operation.validate || operation.validate(body)) return [];
    return (operation.validate.errors ?? []).map((error) => ({ path: error.instancePath || "(body)", message: `${error.message ?? "is invalid"}${error.params && "missingProperty" in error.params ? ` (${String(error.params.missingProperty)})` : ""}` }));
  }
}
