// Where a throwaway PostgreSQL cluster spends its time: pg_stat_statements (loaded by a restart), the time its backends
// spent in statements (pg_stat_database.active_time) and the CPU its processes used (/proc, Linux).
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import postgres, { type Sql } from "postgres";

const postgresBin = () => {
  const root = "/usr/lib/postgresql";
  const versions = readdirSync(root).filter((version) => existsSync(path.join(root, version, "bin", "pg_ctl")));
  return path.join(root, versions.sort((a, b) => Number(a) - Number(b)).at(-1)!, "bin");
};

/** Loads pg_stat_statements into the cluster at `url` (a restart with the options it was started with); false if not. */
export async function enableStatementStats(url: string): Promise<boolean> {
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const [setting] = await admin<{ data_directory: string }[]>`show data_directory`;
    await admin`alter system set shared_preload_libraries = 'pg_stat_statements'`;
    await admin.end();
    const pgCtl = [path.join(postgresBin(), "pg_ctl"), "-D", setting!.data_directory, "-w", "-m", "fast", "restart"];
    const asPostgres = process.getuid?.() === 0 ? ["runuser", "-u", "postgres", "--", ...pgCtl] : pgCtl;
    execFileSync(asPostgres[0]!, asPostgres.slice(1), { stdio: "ignore" });
    const reopened = postgres(url, { max: 1, onnotice: () => {} });
    await reopened`create extension if not exists pg_stat_statements`;
    await reopened.end();
    return true;
  } catch {
    await admin.end();
    return false;
  }
}

const ticks = (pid: number) => {
  // Fields after the command's closing parenthesis: state is 3rd, ppid 4th, utime 14th ... cstime 17th.
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return {
    parent: Number(fields[1]),
    own: Number(fields[11]) + Number(fields[12]),
    reaped: Number(fields[13]) + Number(fields[14]),
  };
};
const CLOCK_TICKS = 100;

/** CPU seconds used so far by the cluster's postmaster and every backend it started (those ended included). */
export function clusterCpuSeconds(postmasterPid: number): number {
  let total = ticks(postmasterPid).own + ticks(postmasterPid).reaped;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const process = ticks(Number(entry));
      if (process.parent === postmasterPid) total += process.own;
    } catch {
      // The process ended between the listing and the read; its time is in the postmaster's reaped total.
    }
  }
  return total / CLOCK_TICKS;
}

export async function postmasterPid(client: Sql): Promise<number> {
  const [backend] = await client<{ pid: number }[]>`select pg_backend_pid() as pid`;
  return ticks(backend!.pid).parent;
}

/** Milliseconds the database's backends spent running statements, and transactions committed, so far. */
export async function databaseActivity(client: Sql) {
  const [row] = await client<{ active: number; commits: number }[]>`select active_time::float8 as active,
    xact_commit::float8 as commits from pg_stat_database where datname = current_database()`;
  return row!;
}

/** The statements that took the most time since the last reset: calls, total and mean milliseconds. */
export async function topStatements(client: Sql, limit: number) {
  return client<{ query: string; calls: number; total: number; mean: number }[]>`select
      regexp_replace(query, '[[:space:]]+', ' ', 'g') as query, calls::float8 as calls, total_exec_time as total,
      mean_exec_time as mean
    from pg_stat_statements order by total_exec_time desc limit ${limit}`;
}
