// Inngest calls the app's functions here when an Inngest server (Cloud or self-hosted) is configured.
import { serve } from "inngest/next";
import { inngest } from "@/server/jobs/client";
import { schedulerFunction } from "@/server/jobs/scheduler";
import { syncRunFunction } from "@/server/jobs/sync-run";

export const { GET, POST, PUT } = serve({ client: inngest, functions: [syncRunFunction, schedulerFunction] });
