// Where mail goes: an SMTP server named by the environment; else, with the sandbox on, the outbox page; else nowhere.
import { z } from "zod";
import { env } from "@/server/env";

const schema = z.object({
  SMTP_URL: z
    .url("must be an smtp:// or smtps:// URL, such as smtps://user:password@smtp.example.com")
    .refine((value) => /^smtps?:\/\//.test(value), "must start with smtp:// or smtps://")
    .optional(),
  APP_URL: z.url("must be an absolute URL such as https://ledgerlink.example.com").optional(),
  MAIL_FROM: z.string().min(3, "must be an address such as Ledgerlink <ledgerlink@isp.example>").optional(),
});

export type MailDelivery =
  | { kind: "smtp"; url: string; from: string; appUrl: string }
  | { kind: "outbox" }
  | { kind: "off" };

export const DEFAULT_FROM = "Ledgerlink <no-reply@ledgerlink.invalid>";

export function mailDelivery(source: Record<string, string | undefined> = process.env): MailDelivery {
  const parsed = schema.safeParse({
    SMTP_URL: source.SMTP_URL || undefined,
    APP_URL: source.APP_URL || undefined,
    MAIL_FROM: source.MAIL_FROM || undefined,
  });
  if (!parsed.success)
    throw new Error(
      `Invalid mail settings: ${parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ")}`,
    );
  const { SMTP_URL, APP_URL, MAIL_FROM } = parsed.data;
  if (SMTP_URL) {
    // Links in real mail never take their host from a request, which a client could have written.
    if (!APP_URL) throw new Error("Invalid mail settings: APP_URL is needed with SMTP_URL, for the links in mail.");
    return { kind: "smtp", url: SMTP_URL, from: MAIL_FROM ?? DEFAULT_FROM, appUrl: APP_URL };
  }
  return env().sandbox ? { kind: "outbox" } : { kind: "off" };
}

/** An absolute link into the app: under APP_URL for real mail, under the request's origin in the sandbox. */
export const appLink = (delivery: MailDelivery, origin: string, path: string) =>
  new URL(path, delivery.kind === "smtp" ? delivery.appUrl : origin).toString();
