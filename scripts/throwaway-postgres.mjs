// Starts a disposable PostgreSQL cluster from the machine's binaries (none → returns null, tests use PGlite).
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

function postgresBin() {
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return null;
  const versions = readdirSync(root).filter((v) => existsSync(path.join(root, v, "bin", "initdb")));
  versions.sort((a, b) => Number(a) - Number(b));
  return versions.length ? path.join(root, versions.at(-1), "bin") : null;
}

const freePort = () =>
  new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

export async function startThrowawayPostgres() {
  const bin = postgresBin();
  if (!bin) return null;
  const isRoot = process.getuid?.() === 0;
  // initdb refuses to run as root: run the cluster as the postgres system user then.
  const run = (command, args) =>
    isRoot
      ? execFileSync("runuser", ["-u", "postgres", "--", path.join(bin, command), ...args], { stdio: "pipe" })
      : execFileSync(path.join(bin, command), args, { stdio: "pipe" });
  const dataDir = mkdtempSync(path.join(tmpdir(), "ledgerlink-pg-"));
  if (isRoot) execFileSync("chown", ["postgres:postgres", dataDir]);
  run("initdb", ["-D", dataDir, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"]);
  const port = await freePort();
  const options = `-p ${port} -k ${dataDir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
  run("pg_ctl", ["-D", dataDir, "-l", path.join(dataDir, "server.log"), "-w", "-t", "30", "-o", options, "start"]);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    /** The same cluster over its Unix socket (libpq's `?host=/directory`, which db/client.ts reads). */
    socketUrl: `postgres://postgres@localhost:${port}/postgres?host=${dataDir}`,
    stop() {
      const args = ["-D", dataDir, "-m", "immediate", "stop"];
      if (isRoot)
        spawnSync("runuser", ["-u", "postgres", "--", path.join(bin, "pg_ctl"), ...args], { stdio: "ignore" });
      else spawnSync(path.join(bin, "pg_ctl"), args, { stdio: "ignore" });
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
