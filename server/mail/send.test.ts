// Mail through a real SMTP server (smtp-server on the loopback), and the settings that choose where mail goes.
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listOutbox } from "@/db/queries/mail-outbox";
import { registerTestDatabase } from "@/db/testing/test-database";
import { appLink, mailDelivery } from "./config";
import { invitationMail } from "./messages";
import { sendMail } from "./send";

const database = registerTestDatabase();
const received: { from: string; to: string[]; data: string }[] = [];
let server: SMTPServer;
let port: number;

beforeAll(async () => {
  server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((recipient) => recipient.address),
          data: Buffer.concat(chunks).toString("utf8"),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const invitation = invitationMail({
  to: "new.member@example.test",
  tenantName: "Riverside ISP",
  inviterName: "Ada",
  role: "viewer",
  link: "https://ledgerlink.example/invite/abc",
  expiresAt: new Date("2026-12-01T10:00:00Z"),
});

describe("sending mail", () => {
  it("delivers through the SMTP server named by SMTP_URL, from MAIL_FROM, with links under APP_URL", async () => {
    const delivery = mailDelivery({
      SMTP_URL: `smtp://127.0.0.1:${port}`,
      MAIL_FROM: "Ledgerlink <ll@isp.example>",
      APP_URL: "https://ledgerlink.example",
    });
    expect(delivery).toMatchObject({ kind: "smtp", from: "Ledgerlink <ll@isp.example>" });
    expect(await sendMail(database.db, invitation, delivery)).toBe("smtp");
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ from: "ll@isp.example", to: ["new.member@example.test"] });
    expect(received[0]!.data).toContain("Subject: Ada invited you to Riverside ISP on Ledgerlink");
    expect(received[0]!.data).toContain("https://ledgerlink.example/invite/abc");
    expect(await listOutbox(database.db, { limit: 10 })).toEqual([]);
    expect(appLink(delivery, "http://evil.example", "/reset-password?token=t")).toBe(
      "https://ledgerlink.example/reset-password?token=t",
    );
  });

  it("keeps mail in the outbox where no SMTP server is configured and the sandbox is on", async () => {
    expect(mailDelivery({})).toEqual({ kind: "outbox" });
    expect(await sendMail(database.db, invitation)).toBe("outbox");
    expect(await listOutbox(database.db, { limit: 10 })).toEqual([expect.objectContaining(invitation)]);
  });

  it("refuses an SMTP setting that is not an SMTP URL, or SMTP without APP_URL, naming the variable", () => {
    expect(() => mailDelivery({ SMTP_URL: "smtp://127.0.0.1:2525" })).toThrow(
      "Invalid mail settings: APP_URL is needed with SMTP_URL, for the links in mail.",
    );
    expect(() => mailDelivery({ SMTP_URL: "https://smtp.example.com" })).toThrow(
      "Invalid mail settings: SMTP_URL: must start with smtp:// or smtps://",
    );
  });
});
