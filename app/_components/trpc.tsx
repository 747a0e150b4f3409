"use client";
// The browser's tRPC client, through TanStack Query.
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createTRPCClient, httpBatchLink, TRPCClientError } from "@trpc/client";
import { createTRPCContext } from "@trpc/tanstack-react-query";
import { useState, type ReactNode } from "react";
import superjson from "superjson";
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/trpc/root";

export const { TRPCProvider, useTRPC } = createTRPCContext<AppRouter>();

/** What each procedure answers, for components that take a row of it. */
export type RouterOutputs = inferRouterOutputs<AppRouter>;

export function TrpcProvider({ children }: { children: ReactNode }) {
  const [queryClient] = useState(
    () =>
      new QueryClient({
        defaultOptions: {
          queries: {
            staleTime: 5_000,
            // Authorisation failures won't heal by retrying.
            retry: (count, error) =>
              !(
                error instanceof TRPCClientError &&
                ["UNAUTHORIZED", "FORBIDDEN", "NOT_FOUND"].includes(error.data?.code)
              ) && count < 2,
          },
        },
      }),
  );
  const [trpcClient] = useState(() =>
    createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: "/api/trpc", transformer: superjson })] }),
  );
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        {children}
      </TRPCProvider>
    </QueryClientProvider>
  );
}

/** The message for one field of a failed mutation, from zod or from the domain. */
export function fieldError(error: unknown, field: string): string | undefined {
  if (!(error instanceof TRPCClientError)) return undefined;
  const fieldErrors = (error.data as { fieldErrors?: Record<string, string[] | undefined> } | undefined)?.fieldErrors;
  return fieldErrors?.[field]?.[0];
}

/** A failed call's message for people; field errors are shown on their fields instead. */
export function formError(error: unknown): string | undefined {
  if (!error) return undefined;
  if (error instanceof TRPCClientError) {
    const fieldErrors = (error.data as { fieldErrors?: Record<string, unknown> | null } | undefined)?.fieldErrors;
    if (fieldErrors && Object.keys(fieldErrors).length > 0) return undefined;
    return error.message;
  }
  return "Something went wrong. Try again.";
}
