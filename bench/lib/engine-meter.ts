// What one engine process costs over the measured span: its pool (20 connections, as a worker's), the statements the
// pool sent, the CPU the process used and its event loop's delay. Shared by the bench's own process and its workers.
import { monitorEventLoopDelay } from "node:perf_hooks";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import type { Db } from "@/db/client";
import * as schema from "@/db/schema";

export type EngineReport = {
  cpuSeconds: number;
  statements: number;
  eventLoopMs: { p50: number; p99: number; max: number };
};

/** A pool like a worker's, counting the statements it sends; the runs share it as a worker's runs share the app's. */
export function enginePool(url: string) {
  let statements = 0;
  const client = postgres(url, { max: 20, onnotice: () => {}, debug: () => statements++ });
  return { db: drizzle(client, { schema }) as unknown as Db, statements: () => statements };
}

/** Starts measuring this process; the function returned ends the span and reports it. */
export function startEngineMeter(statements: () => number): () => EngineReport {
  const cpu = process.cpuUsage();
  const statementsBefore = statements();
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  return () => {
    loop.disable();
    const used = process.cpuUsage(cpu);
    const ms = (nanoseconds: number) => nanoseconds / 1e6;
    return {
      cpuSeconds: (used.user + used.system) / 1e6,
      statements: statements() - statementsBefore,
      eventLoopMs: { p50: ms(loop.percentile(50)), p99: ms(loop.percentile(99)), max: ms(loop.max) },
    };
  };
}
