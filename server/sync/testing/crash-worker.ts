// A sync worker for the crash test: runs customer pages against simulators over HTTP until killed or done.
// Usage: node --import tsx server/sync/testing/crash-worker.ts <database url> <tenant id> <run id> <splynx url> <zoho url> <token>
import { openPostgres } from "@/db/client";
import { httpSyncContext } from "./http-context";
import { syncCustomerPage } from "../engine";

const [databaseUrl, tenantId, runId, splynxUrl, zohoUrl, token] = process.argv.slice(2) as [string, string, string, string, string, string];
const database = await openPostgres(databaseUrl, { max: 4 });
const context = httpSyncContext(database.db, { tenantId, runId, splynxUrl, zohoUrl, token });
let after = 0;
for (;;) {
  const page = await syncCustomerPage(context, { after, pageSize: 25 });
  if (page.lastId === null || page.records < 25) break;
  after = page.lastId;
}
await database.close();
