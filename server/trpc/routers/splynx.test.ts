import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { serveHttp } from "@/server/sandbox/http-adapter";
import { acceptInvitation, createInvitation } from "@/db/queries/invitations";
import { auditLog, splynxConnections } from "@/db/schema";
import { callerFor, makePerson, makeTenant } from "@/db/testing/fixtures";
import { registerTestDatabase } from "@/db/testing/test-database";
import { env } from "@/server/env";
import { SANDBOX_SPLYNX_KEYS, SANDBOX_SPLYNX_URL } from "@/server/sandbox";

const database = registerTestDatabase();

async function setup() {
  const { db } = database;
  const admin = await makePerson(db, "admin");
  const tenant = await makeTenant(db, admin);
  const viewer = await makePerson(db, "viewer");
  const invitation = await createInvitation(db, {
    tenantId: tenant.id,
    email: viewer.email,
    role: "viewer",
    invitedBy: admin.id,
  });
  await db.transaction((tx) => acceptInvitation(tx, { token: invitation.token, person: viewer }));
  return { tenant, asAdmin: callerFor(db, admin), asViewer: callerFor(db, viewer) };
}

describe("Splynx connection", () => {
  it("saves sealed credentials, tests every permission, and shows secrets masked to admins only", async () => {
    const { tenant, asAdmin, asViewer } = await setup();
    const { key, secret } = SANDBOX_SPLYNX_KEYS.full;
    await asAdmin.splynx.save({
      tenantSlug: tenant.slug,
      baseUrl: SANDBOX_SPLYNX_URL,
      authMode: "signature",
      apiKey: key,
      apiSecret: secret,
    });

    const result = await asAdmin.splynx.test({ tenantSlug: tenant.slug });
    expect(result.ok).toBe(true);
    expect(result.checks.map((check) => check.id)).toEqual([
      "reachable",
      "authenticated",
      "read:customers",
      "read:invoices",
      "read:creditNotes",
      "read:payments",
      "read:paymentMethods",
      "read:transactionCategories",
      "read:taxes",
      "read:partners",
      "write:payments",
    ]);

    expect(await asAdmin.splynx.connection({ tenantSlug: tenant.slug })).toMatchObject({
      baseUrl: SANDBOX_SPLYNX_URL,
      apiKey: `••••${key.slice(-4)}`,
      apiSecret: `••••${secret.slice(-4)}`,
      lastTest: { ok: true },
    });
    const seenByViewer = await asViewer.splynx.connection({ tenantSlug: tenant.slug });
    expect(seenByViewer).toMatchObject({ apiKey: null, apiSecret: null });
    expect(JSON.stringify(seenByViewer)).not.toContain(secret.slice(-4));
    await expect(
      asViewer.splynx.save({
        tenantSlug: tenant.slug,
        baseUrl: SANDBOX_SPLYNX_URL,
        authMode: "signature",
        apiSecret: "mine",
      }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(asViewer.splynx.test({ tenantSlug: tenant.slug })).rejects.toMatchObject({ code: "FORBIDDEN" });

    const [row] = await database.db.select().from(splynxConnections).where(eq(splynxConnections.tenantId, tenant.id));
    expect(JSON.stringify(row)).not.toContain(secret);
    expect(JSON.stringify(row)).not.toContain(key);
    const audit = await database.db.select().from(auditLog).where(eq(auditLog.tenantId, tenant.id));
    expect(audit.map((entry) => entry.action)).toEqual(
      expect.arrayContaining(["splynx.connection_save", "splynx.connection_test"]),
    );
    expect(JSON.stringify(audit)).not.toContain(secret);
  });

  it("names each missing permission, and keeps stored secrets when the fields are left blank", async () => {
    const { tenant, asAdmin } = await setup();
    const { key, secret } = SANDBOX_SPLYNX_KEYS.readOnly;
    await asAdmin.splynx.save({
      tenantSlug: tenant.slug,
      baseUrl: SANDBOX_SPLYNX_URL,
      authMode: "token",
      apiKey: key,
      apiSecret: secret,
    });
    const readOnly = await asAdmin.splynx.test({ tenantSlug: tenant.slug });
    expect(readOnly.ok).toBe(false);
    expect(readOnly.checks.filter((check) => !check.ok)).toEqual([
      { id: "write:payments", label: "Create payments", ok: false, detail: "The API key lacks this permission." },
    ]);

    await asAdmin.splynx.save({
      tenantSlug: tenant.slug,
      baseUrl: SANDBOX_SPLYNX_URL,
      authMode: "signature",
      apiSecret: "wrong secret",
    });
    const wrong = await asAdmin.splynx.test({ tenantSlug: tenant.slug });
    expect(wrong.checks.find((check) => check.id === "authenticated")).toMatchObject({
      ok: false,
      detail: "Signature is not valid",
    });
  });

  it("refuses private and plain-http URLs while the guard is on, with the reason on the field", async () => {
    const { tenant, asAdmin } = await setup();
    const settings = env();
    const wasGuarded = settings.urlGuard;
    settings.urlGuard = true;
    try {
      for (const [baseUrl, reason] of [
        ["https://10.0.0.5", "not a public address"],
        ["http://isp.splynx.app", "Only https://"],
        ["https://[::1]/", "not a public address"],
        ["not a url", "Enter a full URL"],
      ] as const) {
        const error = (await asAdmin.splynx
          .save({ tenantSlug: tenant.slug, baseUrl, authMode: "signature", apiKey: "k", apiSecret: "s" })
          .catch((caught: unknown) => caught)) as { code: string; message: string; cause: { field?: string } };
        expect(error, baseUrl).toMatchObject({ code: "BAD_REQUEST", cause: { field: "baseUrl" } });
        expect(error.message, baseUrl).toContain(reason);
      }
      await asAdmin.splynx.save({
        tenantSlug: tenant.slug,
        baseUrl: "https://localhost.example.invalid",
        authMode: "signature",
        apiKey: "k",
        apiSecret: "s",
      });
      const unreachable = await asAdmin.splynx.test({ tenantSlug: tenant.slug });
      expect(unreachable.checks).toMatchObject([{ id: "reachable", ok: false }]);
    } finally {
      settings.urlGuard = wasGuarded;
    }
  });

  it("sends nothing signed to a URL the secret was not entered for, from the form or from a changed row", async () => {
    const { tenant, asAdmin } = await setup();
    const received = { genuine: [] as string[], attacker: [] as string[] };
    const recordInto = (list: string[]) => async (request: Request) => {
      list.push(request.url);
      return Response.json([]);
    };
    const genuine = await serveHttp(recordInto(received.genuine));
    const attacker = await serveHttp(recordInto(received.attacker));
    try {
      await asAdmin.splynx.save({
        tenantSlug: tenant.slug,
        baseUrl: genuine.url,
        authMode: "signature",
        apiKey: "key-1234",
        apiSecret: "the real secret",
      });
      // A path on the same host keeps the secret.
      await asAdmin.splynx.save({ tenantSlug: tenant.slug, baseUrl: `${genuine.url}/splynx`, authMode: "signature" });
      await asAdmin.splynx.test({ tenantSlug: tenant.slug });
      expect(received.genuine.length).toBeGreaterThan(0);
      expect(received.genuine.every((url) => url.includes("/splynx/api/2.0/"))).toBe(true);

      await expect(
        asAdmin.splynx.save({ tenantSlug: tenant.slug, baseUrl: attacker.url, authMode: "signature" }),
      ).rejects.toMatchObject({
        code: "BAD_REQUEST",
        message: "Enter the API secret again: it is only ever sent to the URL it was entered for.",
        cause: { field: "apiSecret" },
      });
      // Another path to the same end: the row's URL changed without the secret being entered again.
      await database.db
        .update(splynxConnections)
        .set({ baseUrl: attacker.url })
        .where(eq(splynxConnections.tenantId, tenant.id));
      await expect(asAdmin.splynx.test({ tenantSlug: tenant.slug })).rejects.toMatchObject({
        code: "BAD_REQUEST",
        message: "The stored API secret was not entered for this Splynx URL: enter the API secret again.",
      });
      expect(received.attacker).toEqual([]);
    } finally {
      await Promise.all([genuine.close(), attacker.close()]);
    }
  });
});
