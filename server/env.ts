// The environment, parsed and validated once; embedded mode (no DATABASE_URL) fills safe generated defaults.
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

const keyring = z.string().transform((value, ctx) => {
  const keys = value.split(",").map((entry) => {
    const [id, material] = entry.trim().split(":");
    const bytes = Buffer.from(material ?? "", "base64");
    if (!id || bytes.length !== 32) {
      ctx.addIssue({
        code: "custom",
        message: `each entry must be "<key id>:<32 bytes in base64>" (entry "${id ?? ""}" is not)`,
      });
    }
    return { id: id ?? "", key: bytes };
  });
  return keys;
});

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL")
    .optional(),
  PGLITE_DIR: z.string().min(1).default("./.data/pglite"),
  AUTH_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  LEDGERLINK_ENCRYPTION_KEYS: keyring.optional(),
  DEMO_SEED: z.enum(["on", "off"]).optional(),
  LEDGERLINK_SANDBOX: z.enum(["on", "off"]).optional(),
  LEDGERLINK_SANDBOX_MINUTE_MS: z.coerce.number().int().min(100, "use at least 100").max(60_000).optional(),
  APP_URL: z.url("must be an absolute URL such as https://ledgerlink.example.com").optional(),
  ZOHO_CLIENT_ID: z.string().min(1).optional(),
  ZOHO_CLIENT_SECRET: z.string().min(1).optional(),
  LEDGERLINK_URL_GUARD: z.enum(["on", "off"]).optional(),
  LEDGERLINK_TRUSTED_PROXIES: z.coerce
    .number()
    .int("use a whole number")
    .min(0, "use 0 or more")
    .max(10, "use at most 10")
    .default(0),
  LEDGERLINK_SANDBOX_TENANTS: z.coerce
    .number()
    .int("use a whole number")
    .min(1, "use 1 or more")
    .max(500, "use at most 500")
    .default(12),
  LEDGERLINK_SIGN_UPS_PER_HOUR: z.coerce
    .number()
    .int("use a whole number")
    .min(1, "use 1 or more")
    .max(10_000, "use at most 10000")
    .default(30),
});

export type EncryptionKey = { id: string; key: Buffer };

export type Env = {
  nodeEnv: "development" | "production" | "test";
  databaseUrl: string | undefined;
  pgliteDir: string;
  /** No DATABASE_URL: the single-machine default on in-process PGlite. */
  embedded: boolean;
  authSecret: string;
  /** The first key encrypts; every key can decrypt (rotation). */
  encryptionKeys: EncryptionKey[];
  demoSeed: boolean;
  /** The built-in Splynx and Zoho simulators, reachable as `sandbox://` connections. */
  sandbox: boolean;
  /** Tenant-typed URLs must be https to public addresses (SPEC §2.1). */
  urlGuard: boolean;
  /** How long the sandbox Zoho's "minute" lasts, so demos and tests of syncs need not wait for real minutes. */
  sandboxMinuteMs: number;
  /** The public base URL (OAuth redirect URIs); the request's own origin when unset. */
  appUrl: string | undefined;
  /** The operator's shared Zoho app, used unless a tenant brings its own. */
  zohoApp: { clientId: string; clientSecret: string } | null;
  /** How many reverse proxies in front of the app append to X-Forwarded-For (0: clients connect directly). */
  trustedProxies: number;
  /** How many workspaces' sandboxes one process keeps in memory (about 10 MB each). */
  sandboxTenants: number;
  /** Sign-ups allowed per client address an hour (a test server signing up from one address raises it). */
  signUpsPerHour: number;
};

export class EnvError extends Error {}

function listIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`).join("\n");
}

type GeneratedSecrets = { authSecret: string; encryptionKey: string };

// Embedded mode keeps its generated secrets beside the data, so sessions and encrypted values survive restarts.
function embeddedSecrets(pgliteDir: string): GeneratedSecrets {
  const fresh = (): GeneratedSecrets => ({
    authSecret: randomBytes(32).toString("base64url"),
    encryptionKey: randomBytes(32).toString("base64"),
  });
  if (pgliteDir.startsWith("memory://")) return fresh();
  const dir = path.dirname(path.resolve(pgliteDir));
  const file = path.join(dir, "secrets.json");
  try {
    return JSON.parse(readFileSync(file, "utf8")) as GeneratedSecrets;
  } catch {
    mkdirSync(dir, { recursive: true });
    const secrets = fresh();
    try {
      writeFileSync(file, JSON.stringify(secrets), { flag: "wx", mode: 0o600 });
      return secrets;
    } catch {
      // Another bundle of the same app created it first: use that one.
      return JSON.parse(readFileSync(file, "utf8")) as GeneratedSecrets;
    }
  }
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const blankAsMissing = Object.fromEntries(
    Object.entries(source).map(([key, value]) => [key, value === "" ? undefined : value]),
  );
  const parsed = schema.safeParse(blankAsMissing);
  if (!parsed.success) {
    throw new EnvError(`Invalid environment:\n${listIssues(parsed.error)}`);
  }
  const raw = parsed.data;
  const embedded = raw.DATABASE_URL === undefined;
  const missing: string[] = [];
  if (!embedded && !raw.AUTH_SECRET)
    missing.push("  AUTH_SECRET: required when DATABASE_URL is set (generate one with `openssl rand -base64 32`)");
  if (!embedded && !raw.LEDGERLINK_ENCRYPTION_KEYS) {
    missing.push(
      '  LEDGERLINK_ENCRYPTION_KEYS: required when DATABASE_URL is set, as "k1:<`openssl rand -base64 32`>"',
    );
  }
  if (missing.length > 0) throw new EnvError(`Invalid environment:\n${missing.join("\n")}`);

  const generated =
    embedded && (!raw.AUTH_SECRET || !raw.LEDGERLINK_ENCRYPTION_KEYS) ? embeddedSecrets(raw.PGLITE_DIR) : undefined;
  return {
    nodeEnv: raw.NODE_ENV,
    databaseUrl: raw.DATABASE_URL,
    pgliteDir: raw.PGLITE_DIR,
    embedded,
    authSecret: raw.AUTH_SECRET ?? generated!.authSecret,
    encryptionKeys: raw.LEDGERLINK_ENCRYPTION_KEYS ?? [
      { id: "embedded", key: Buffer.from(generated!.encryptionKey, "base64") },
    ],
    demoSeed: raw.DEMO_SEED ? raw.DEMO_SEED === "on" : embedded,
    sandbox: raw.LEDGERLINK_SANDBOX ? raw.LEDGERLINK_SANDBOX === "on" : embedded,
    urlGuard: raw.LEDGERLINK_URL_GUARD ? raw.LEDGERLINK_URL_GUARD === "on" : raw.NODE_ENV === "production",
    appUrl: raw.APP_URL,
    sandboxMinuteMs: raw.LEDGERLINK_SANDBOX_MINUTE_MS ?? 60_000,
    zohoApp:
      raw.ZOHO_CLIENT_ID && raw.ZOHO_CLIENT_SECRET
        ? { clientId: raw.ZOHO_CLIENT_ID, clientSecret: raw.ZOHO_CLIENT_SECRET }
        : null,
    trustedProxies: raw.LEDGERLINK_TRUSTED_PROXIES,
    sandboxTenants: raw.LEDGERLINK_SANDBOX_TENANTS,
    signUpsPerHour: raw.LEDGERLINK_SIGN_UPS_PER_HOUR,
  };
}

type Holder = { ledgerlinkEnv?: Env };
// Process-wide, not per module: Next.js bundles this module several times, and generated secrets must agree.
const holder = globalThis as Holder;

/** The process environment, parsed on first use (not at import, so `next build` needs no secrets). */
export function env(): Env {
  holder.ledgerlinkEnv ??= parseEnv(process.env);
  return holder.ledgerlinkEnv;
}
