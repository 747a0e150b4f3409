"use client";
// A failure's message as the service wrote it, with its cause and fix in words and a link to where it is fixed.
import Link from "next/link";
import { useParams } from "next/navigation";
import { explainError } from "./error-explanations";

/** Inside the workspace area (`/t/[slug]/…`), whose page the link opens. */
export function ExplainedMessage({ message }: { message: string | null | undefined }) {
  const slug = useParams<{ slug?: string }>()?.slug;
  if (!message) return null;
  const explanation = explainError(message);
  return (
    <>
      {message}
      {explanation && (
        <span className="mt-1 block text-xs text-slate-700" data-testid="error-explanation">
          {explanation.cause}{" "}
          {slug ? (
            <Link href={`/t/${slug}/${explanation.path}`} className="font-medium text-indigo-700 hover:underline">
              {explanation.fix} →
            </Link>
          ) : (
            `${explanation.fix}.`
          )}
        </span>
      )}
    </>
  );
}
