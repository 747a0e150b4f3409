"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { fieldError, formError, useTRPC } from "../../_components/trpc";
import { Button, Card, Field, Input, Notice } from "../../_components/ui";
import { slugFromName } from "@/server/trpc/routers/tenant-slug";

export function CreateTenantForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const [name, setName] = useState("");
  const [slug, setSlug] = useState<string | null>(null);
  const create = useMutation(
    trpc.tenants.create.mutationOptions({ onSuccess: ({ slug: created }) => router.push(`/t/${created}`) }),
  );
  const effectiveSlug = slug ?? slugFromName(name);
  return (
    <Card>
      <form
        className="space-y-4"
        onSubmit={(event) => {
          event.preventDefault();
          create.mutate({ name, slug: effectiveSlug });
        }}
      >
        {formError(create.error) && <Notice>{formError(create.error)}</Notice>}
        <Field label="ISP name" error={fieldError(create.error, "name")}>
          <Input value={name} onChange={(event) => setName(event.target.value)} placeholder="Acme Fibre" required />
        </Field>
        <Field
          label="Web address"
          error={fieldError(create.error, "slug")}
          hint={`Your workspace lives at /t/${effectiveSlug || "…"}; it can't be changed later.`}
        >
          <Input value={effectiveSlug} onChange={(event) => setSlug(event.target.value)} required />
        </Field>
        <Button type="submit" busy={create.isPending}>
          Create workspace
        </Button>
      </form>
    </Card>
  );
}
