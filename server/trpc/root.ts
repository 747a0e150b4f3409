// The application's tRPC router: one sub-router per domain.
import { createCallerFactory, router } from "./init";
import { auditRouter } from "./routers/audit";
import { invitationsRouter } from "./routers/invitations";
import { mappingRouter } from "./routers/mapping";
import { membersRouter } from "./routers/members";
import { pairingRouter } from "./routers/pairing";
import { previewRouter } from "./routers/preview";
import { reconciliationRouter } from "./routers/reconciliation";
import { recordsRouter } from "./routers/records";
import { settingsRouter } from "./routers/settings";
import { splynxRouter } from "./routers/splynx";
import { syncRouter } from "./routers/sync";
import { zohoRouter } from "./routers/zoho";
import { tenantsRouter } from "./routers/tenants";
import { usageRouter } from "./routers/usage";

export const appRouter = router({
  tenants: tenantsRouter,
  members: membersRouter,
  invitations: invitationsRouter,
  audit: auditRouter,
  splynx: splynxRouter,
  zoho: zohoRouter,
  mapping: mappingRouter,
  sync: syncRouter,
  records: recordsRouter,
  settings: settingsRouter,
  pairing: pairingRouter,
  preview: previewRouter,
  reconciliation: reconciliationRouter,
  usage: usageRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
