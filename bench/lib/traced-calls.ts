// Times a portal call through the real procedures and explains the statements it sent: p50/p95 and EXPLAIN plans.
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import type { Db } from "../../db/client";
import * as schema from "../../db/schema";
import { percentile } from "./stats";

/** A Drizzle database over a client that remembers each statement it sends, and a `measure` over it. */
export function tracedDatabase(url: string, calls: number) {
  let seen: { text: string; params: unknown[] }[] = [];
  const client = postgres(url, {
    max: 4,
    onnotice: () => {},
    debug: (_connection, text, params) => seen.push({ text, params: params as unknown[] }),
  });
  const db = drizzle(client, { schema }) as unknown as Db;
  const plans: string[] = [];

  /** Calls `call` `calls` times; explains each statement of one call that reads `table` (not the role check). */
  async function measure(label: string, table: string, call: () => Promise<unknown>) {
    seen = [];
    await call();
    const queries = seen.filter((query) => query.text.includes(`from "${table}"`));
    const times: number[] = [];
    for (let index = 0; index < calls; index++) {
      const started = performance.now();
      await call();
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    const nodes = new Set<string>();
    const executions: string[] = [];
    for (const query of queries) {
      const explained = await client.unsafe(`explain (analyze, buffers) ${query.text}`, query.params as never[]);
      const plan = explained.map((row) => row["QUERY PLAN"] as string).join("\n");
      for (const node of plan.match(
        /(Seq Scan|Sort|Index Only Scan|Index Scan|Bitmap Heap Scan)( using \w+)?( on \w+)?/g,
      ) ?? [])
        nodes.add(node);
      executions.push(plan.match(/Execution Time: ([\d.]+) ms/)?.[1] ?? "?");
      plans.push(`### ${label}\n${query.text}\n${JSON.stringify(query.params)}\n${plan}\n`);
    }
    const [p50, p95] = [percentile(times, 0.5).toFixed(1), percentile(times, 0.95).toFixed(1)];
    console.log(`| ${label} | ${p50} | ${p95} | ${executions.join(" + ")} | ${[...nodes].join(", ")} |`);
  }

  return { client, db, plans, measure };
}
