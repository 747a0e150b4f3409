// Lists every procedure that acts on a tenant, read from the router so isolation tests cover new ones by themselves.
import type { Meta } from "./init";
import { appRouter } from "./root";

export function tenantProcedures(): { path: string; type: "query" | "mutation" }[] {
  const procedures = appRouter._def.procedures as unknown as Record<
    string,
    { _def: { meta?: Meta; type: "query" | "mutation" | "subscription" } }
  >;
  return Object.entries(procedures)
    .filter(([, procedure]) => procedure._def.meta?.minRole)
    .map(([path, procedure]) => ({ path, type: procedure._def.type === "query" ? "query" : "mutation" }));
}
