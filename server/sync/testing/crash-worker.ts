// A sync worker for the crash table: syncs one entity's pages against simulators over HTTP, and kills itself dead
// (SIGKILL, no cleanup) at the named crash point of the chosen record.
// Usage: node --import tsx server/sync/testing/crash-worker.ts <database url> <tenant id> <run id> <splynx url> <zoho url>
//        <token> <entity> <crash point> <record number>
import { openPostgres } from "@/db/client";
import type { SyncEntity } from "@/db/schema";
import type { CrashPoint } from "../entity";
import { syncPage } from "../engine";
import { httpSyncContext } from "./http-context";

const [databaseUrl, tenantId, runId, splynxUrl, zohoUrl, token, entity, point, record] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string,
  string,
  SyncEntity,
  CrashPoint,
  string,
];
const die = () => process.kill(process.pid, "SIGKILL");
const seen = new Map<CrashPoint, number>();
const reached = (at: CrashPoint) => {
  seen.set(at, (seen.get(at) ?? 0) + 1);
  if (at === point && seen.get(at) === Number(record)) die();
};
// "after-send" of an export: Zoho has taken the write, and the worker dies before it reads the answer. The payments
// import writes to Splynx and reaches its own "after-send" (it reads nothing but GETs from Zoho).
const zohoFetch: typeof fetch = async (input, init) => {
  const response = await fetch(input, init);
  // Creates only: the steps after one (mark sent) are POSTs too.
  if (init?.method === "POST" && !String(input).includes("/status/")) reached("after-send");
  return response;
};
const database = await openPostgres(databaseUrl, { max: 2 });
const context = await httpSyncContext(database.db, {
  tenantId,
  runId,
  splynxUrl,
  zohoUrl,
  token,
  claimMs: 300,
  // Its call slots lapse soon too: a page writes several records at once, and the next test shares the organization.
  leaseMs: 1_000,
  crashPoint: reached,
  fetch: zohoFetch,
});
for (let after = 0; ; ) {
  const page = await syncPage(context, entity, { after, pageSize: 10 });
  if (page.done) break;
  after = page.lastId!;
}
await database.close();
