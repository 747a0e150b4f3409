// Inngest calls the app's functions here when an Inngest server (Cloud or self-hosted) is configured.
import { serve } from "inngest/next";
import { inngest } from "@/server/jobs/client";
import { logRetentionFunction } from "@/server/jobs/log-retention";
import { reportFunctions } from "@/server/jobs/report-scheduler";
import { schedulerFunction } from "@/server/jobs/scheduler";
import { syncRunFunction } from "@/server/jobs/sync-run";
import { indexFunctions } from "@/server/jobs/splynx-index";

const handlers = serve({
  client: inngest,
  functions: [syncRunFunction, schedulerFunction, logRetentionFunction, ...reportFunctions, ...indexFunctions],
});

type Handler = (request: Request, context: unknown) => Promise<Response>;

// In production Inngest refuses to serve unsigned; without a key this endpoint is unused, and says so plainly.
const whenConfigured =
  (handler: Handler): Handler =>
  (request, context) =>
    process.env.NODE_ENV === "production" && !process.env.INNGEST_SIGNING_KEY
      ? Promise.resolve(
          Response.json(
            {
              error: "inngest_not_configured",
              message:
                "Inngest is not configured on this server (INNGEST_SIGNING_KEY is not set); syncs run in this process.",
            },
            { status: 503 },
          ),
        )
      : handler(request, context);

export const GET = whenConfigured(handlers.GET as Handler);
export const POST = whenConfigured(handlers.POST as Handler);
export const PUT = whenConfigured(handlers.PUT as Handler);
