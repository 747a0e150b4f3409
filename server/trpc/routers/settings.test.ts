import { describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { acceptInvitation, createInvitation } from "@/db/queries/invitations";
import { auditLog } from "@/db/schema";
import { callerFor, makePerson, makeTenant } from "@/db/testing/fixtures";
import { registerTestDatabase } from "@/db/testing/test-database";
import { readSettings } from "@/server/sync/settings";

const database = registerTestDatabase();

describe("settings", () => {
  it("start at the add-on's defaults, save whole, audit each changed field, and refuse bad fields by name", async () => {
    const { db } = database;
    const owner = await makePerson(db, "owner");
    const tenant = await makeTenant(db, owner);
    const asOwner = callerFor(db, owner);
    const { settings } = await asOwner.settings.get({ tenantSlug: tenant.slug });
    expect(settings).toEqual(readSettings({}));
    expect(settings.schedule).toMatchObject({ customers: false, invoices: false, creditNotes: false, payments: false });

    await asOwner.settings.save({
      tenantSlug: tenant.slug,
      settings: {
        ...settings,
        customers: { ...settings.customers, namePattern: "{name} ({id})" },
        schedule: { ...settings.schedule, customers: true },
      },
    });
    const [entry] = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.tenantId, tenant.id), eq(auditLog.action, "settings.save")));
    expect(entry!.details).toEqual({
      "customers.namePattern": { before: "{name}", after: "{name} ({id})" },
      "schedule.customers": { before: "false", after: "true" },
    });

    const refused = (await asOwner.settings
      .save({
        tenantSlug: tenant.slug,
        settings: {
          ...settings,
          general: { ...settings.general, timeZone: "Mars/Olympus", exportFromDate: "1 May" },
          schedule: { ...settings.schedule, launchTime: "25:00" },
        },
      })
      .catch((error: unknown) => error)) as { cause: { issues: { path: (string | number)[]; message: string }[] } };
    expect(refused.cause.issues.map((issue) => [issue.path.join("."), issue.message])).toEqual(
      expect.arrayContaining([
        ["settings.general.timeZone", "Not a known time zone, such as Europe/London"],
        ["settings.general.exportFromDate", "Use the format YYYY-MM-DD"],
        ["settings.schedule.launchTime", "Use HH:MM, 24-hour"],
      ]),
    );
    expect((await asOwner.settings.get({ tenantSlug: tenant.slug })).settings.customers.namePattern).toBe(
      "{name} ({id})",
    );

    const viewer = await makePerson(db, "viewer");
    const invitation = await createInvitation(db, {
      tenantId: tenant.id,
      email: viewer.email,
      role: "viewer",
      invitedBy: owner.id,
    });
    await db.transaction((tx) => acceptInvitation(tx, { token: invitation.token, person: viewer }));
    await expect(callerFor(db, viewer).settings.save({ tenantSlug: tenant.slug, settings })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
  });

  it("refuse a name pattern with an unknown placeholder anywhere in it, on the field, naming the allowed ones", async () => {
    const { db } = database;
    const owner = await makePerson(db, "owner");
    const tenant = await makeTenant(db, owner);
    const asOwner = callerFor(db, owner);
    const { settings } = await asOwner.settings.get({ tenantSlug: tenant.slug });
    const refusal = async (namePattern: string) => {
      const error = (await asOwner.settings
        .save({ tenantSlug: tenant.slug, settings: { ...settings, customers: { ...settings.customers, namePattern } } })
        .catch((caught: unknown) => caught)) as { cause: { issues: { path: (string | number)[]; message: string }[] } };
      return error.cause.issues.map((issue) => [issue.path.join("."), issue.message]);
    };
    const field = "settings.customers.namePattern";
    expect(await refusal("{name} {adress}")).toEqual([
      [field, "Unknown placeholder {adress}: use only {id}, {login}, {name}, {email}"],
    ]);
    expect(await refusal("{Name} ({id})")).toEqual([
      [field, "Unknown placeholder {Name}: use only {id}, {login}, {name}, {email}"],
    ]);
    expect(await refusal("{name} ({id)")).toEqual([
      [field, "Unknown placeholder {id): use only {id}, {login}, {name}, {email}"],
    ]);
    await asOwner.settings.save({
      tenantSlug: tenant.slug,
      settings: { ...settings, customers: { ...settings.customers, namePattern: "{login}: {name} <{email}>" } },
    });
    expect((await asOwner.settings.get({ tenantSlug: tenant.slug })).settings.customers.namePattern).toBe(
      "{login}: {name} <{email}>",
    );
  });

  it("answer the time zone every member sees times in", async () => {
    const { db } = database;
    const owner = await makePerson(db, "owner");
    const tenant = await makeTenant(db, owner);
    const asOwner = callerFor(db, owner);
    expect(await asOwner.settings.timeZone({ tenantSlug: tenant.slug })).toBe("UTC");
    const { settings } = await asOwner.settings.get({ tenantSlug: tenant.slug });
    await asOwner.settings.save({
      tenantSlug: tenant.slug,
      settings: { ...settings, general: { ...settings.general, timeZone: "Asia/Tokyo" } },
    });
    expect(await asOwner.settings.timeZone({ tenantSlug: tenant.slug })).toBe("Asia/Tokyo");
  });
});
