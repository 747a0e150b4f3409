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

/**
 * A pool like a worker's, counting the statements it sends; the runs share it as a worker's runs share the app's.
 * Counted where drizzle and the engine's prepared statements send them (`unsafe`; a transaction counts as one), not by
 * postgres.js's `debug`, which makes every query capture a stack trace: a tenth of a millisecond a call, and long
 * turns of the event loop the engine never has.
 */
export function enginePool(url: string) {
  let statements = 0;
  const client = postgres(url, { max: 20, onnotice: () => {} });
  const unsafe = client.unsafe.bind(client);
  client.unsafe = ((...args: Parameters<typeof unsafe>) => {
    statements++;
    return unsafe(...args);
  }) as typeof client.unsafe;
  const begin = client.begin.bind(client);
  client.begin = ((...args: Parameters<typeof begin>) => {
    statements++;
    return begin(...args);
  }) as typeof client.begin;
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
