"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { formError, useTRPC } from "../../_components/trpc";
import { Button, Notice } from "../../_components/ui";

export function AcceptInvitation({ token }: { token: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const accept = useMutation(
    trpc.invitations.accept.mutationOptions({ onSuccess: ({ slug }) => router.push(`/t/${slug}`) }),
  );
  return (
    <>
      {formError(accept.error) && <Notice>{formError(accept.error)}</Notice>}
      <Button busy={accept.isPending} onClick={() => accept.mutate({ token })}>
        Accept invitation
      </Button>
    </>
  );
}
