// The embedded default's demo person and tenant, created on first start; their sign-in details are shown.
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Db } from "@/db/client";
import { recordAudit } from "@/db/queries/audit";
import { createPerson, findPersonByEmail } from "@/db/queries/people";
import { saveSplynxConnection } from "@/db/queries/splynx";
import { createTenant } from "@/db/queries/tenants";
import { SANDBOX_SPLYNX_KEYS, SANDBOX_SPLYNX_URL } from "@/server/sandbox";
import { hashPassword } from "@/server/auth/password";
import { env } from "@/server/env";
import { sealSplynxKey, sealSplynxSecret } from "@/server/splynx/credentials";

export const DEMO_EMAIL = "demo@ledgerlink.local";
export const DEMO_TENANT = { name: "Demo ISP", slug: "demo-isp" };

export type DemoCredentials = { email: string; password: string };

type Holder = { ledgerlinkDemoCredentials?: DemoCredentials };
const holder = globalThis as Holder;

// The demo password is kept in plain text beside the embedded database only: it guards nothing but demo data.
function credentialsFile(): string | null {
  const { pgliteDir } = env();
  return pgliteDir.startsWith("memory://")
    ? null
    : path.join(path.dirname(path.resolve(pgliteDir)), "demo-credentials.json");
}

/** The demo sign-in details to show on the sign-in page: on the embedded default only, never on a real database. */
export function demoCredentials(): DemoCredentials | null {
  return env().embedded ? seededCredentials() : null;
}

function seededCredentials(): DemoCredentials | null {
  if (!env().demoSeed) return null;
  if (holder.ledgerlinkDemoCredentials) return holder.ledgerlinkDemoCredentials;
  const file = credentialsFile();
  if (!file) return null;
  try {
    holder.ledgerlinkDemoCredentials = JSON.parse(readFileSync(file, "utf8")) as DemoCredentials;
    return holder.ledgerlinkDemoCredentials;
  } catch {
    return null;
  }
}

export async function seedDemo(db: Db): Promise<DemoCredentials | null> {
  if (!env().demoSeed) return null;
  const existing = seededCredentials();
  if (existing && (await findPersonByEmail(db, existing.email))) return existing;

  const credentials = { email: DEMO_EMAIL, password: randomBytes(9).toString("base64url") };
  await db.transaction(async (tx) => {
    const stale = await findPersonByEmail(tx, DEMO_EMAIL);
    if (stale)
      throw new Error(`${DEMO_EMAIL} exists but its password file is missing; delete .data/ to start the demo afresh.`);
    const person = await createPerson(tx, {
      email: credentials.email,
      name: "Demo Admin",
      passwordHash: await hashPassword(credentials.password),
    });
    const tenant = await createTenant(tx, { ...DEMO_TENANT, ownerId: person.id });
    await recordAudit(tx, {
      tenantId: tenant.id,
      actor: { id: person.id, email: person.email },
      action: "tenant.create",
      target: tenant.slug,
      details: { name: tenant.name, demo: true },
    });
    if (env().sandbox) {
      const { key, secret } = SANDBOX_SPLYNX_KEYS.full;
      await saveSplynxConnection(tx, {
        tenantId: tenant.id,
        baseUrl: SANDBOX_SPLYNX_URL,
        authMode: "signature",
        apiKeySealed: sealSplynxKey(tenant.id, key),
        apiSecretSealed: sealSplynxSecret(tenant.id, SANDBOX_SPLYNX_URL, secret),
      });
    }
  });
  const file = credentialsFile();
  if (file) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(credentials), { mode: 0o600 });
  }
  holder.ledgerlinkDemoCredentials = credentials;
  return credentials;
}
