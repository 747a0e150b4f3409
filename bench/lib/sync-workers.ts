// The bench's side of its worker processes (sync-worker-process.ts): N of them on one PostgreSQL, as a 2-core box runs
// two, each given its share of the tenants' runs and asked, at the end, what its span cost.
import { type ChildProcess, spawn } from "node:child_process";
import { env } from "@/server/env";
import type { EngineReport } from "./engine-meter";

export type RunRequest = { tenantId: string; requestedBy: string };
export type ToWorker = { kind: "start"; runs: RunRequest[] } | { kind: "report" };
export type WorkerReport = EngineReport & { peakRss: number };
export type FromWorker =
  | { kind: "ready" }
  | { kind: "requested"; seconds: number }
  | { kind: "report"; report: WorkerReport };

/** The app's environment with this process's secrets, so a worker opens the sealed secrets this process sealed. */
function sharedAppEnvironment(): NodeJS.ProcessEnv {
  const { encryptionKeys, authSecret } = env();
  const keyring = encryptionKeys.map((key) => `${key.id}:${key.key.toString("base64")}`).join(",");
  return { ...process.env, PGLITE_DIR: "memory://", LEDGERLINK_ENCRYPTION_KEYS: keyring, AUTH_SECRET: authSecret };
}

/** The worker's next message of this kind; rejects if it exits first. */
function nextMessage<Kind extends FromWorker["kind"]>(child: ChildProcess, kind: Kind) {
  return new Promise<Extract<FromWorker, { kind: Kind }>>((resolve, reject) => {
    const onExit = (code: number | null, signal: NodeJS.Signals | null) =>
      reject(new Error(`A sync worker ended (${signal ?? code}) before it answered "${kind}"`));
    const onMessage = (message: FromWorker) => {
      if (message.kind !== kind) return;
      child.off("message", onMessage).off("exit", onExit);
      resolve(message as Extract<FromWorker, { kind: Kind }>);
    };
    child.on("message", onMessage).once("exit", onExit);
  });
}

/** Starts `count` worker processes on `databaseUrl`; resolves once each has loaded the app and opened its pool. */
export async function startSyncWorkers(count: number, databaseUrl: string) {
  const environment = sharedAppEnvironment();
  const workers = Array.from({ length: count }, () =>
    spawn("node", ["--import", "tsx", "bench/lib/sync-worker-process.ts", databaseUrl], {
      stdio: ["ignore", "inherit", "inherit", "ipc"],
      env: environment,
    }),
  );
  await Promise.all(workers.map((worker) => nextMessage(worker, "ready")));
  const send = (worker: ChildProcess, message: ToWorker) => worker.send(message);
  return {
    /** Deals the runs round-robin and has each worker request its own; each worker's seconds to request them. */
    async requestRuns(runs: RunRequest[]) {
      const requested = workers.map((worker) => nextMessage(worker, "requested"));
      for (const [index, worker] of workers.entries())
        send(worker, { kind: "start", runs: runs.filter((_, run) => run % count === index) });
      return (await Promise.all(requested)).map((reply) => reply.seconds);
    },
    /** What each worker's span cost, from its start to now. */
    async reports() {
      const replies = workers.map((worker) => nextMessage(worker, "report"));
      for (const worker of workers) send(worker, { kind: "report" });
      return (await Promise.all(replies)).map((reply) => reply.report);
    },
    /** Their runs are still going: killed at once, as the bench stops everything else. */
    stop: () => {
      for (const worker of workers) worker.kill("SIGKILL");
    },
  };
}
