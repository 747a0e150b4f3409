"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { ROLES, type Role } from "@/db/schema";
import { fieldError, formError, useTRPC } from "../../../_components/trpc";
import {
  Badge,
  Button,
  Card,
  EmptyState,
  Field,
  Input,
  Notice,
  PageHeader,
  roleTone,
  Select,
  Table,
} from "../../../_components/ui";
import { useTime } from "../../../_components/zoned-time";
import { useTenant } from "../tenant-context";

function InviteForm() {
  const time = useTime();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { slug } = useTenant();
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<Role>("viewer");
  const invite = useMutation(
    trpc.members.invite.mutationOptions({
      onSuccess: () => {
        setEmail("");
        void queryClient.invalidateQueries({ queryKey: trpc.members.invitations.queryKey() });
      },
    }),
  );
  const link = invite.data ? `${window.location.origin}${invite.data.path}` : null;
  return (
    <Card title="Invite someone">
      <form
        className="grid gap-3 md:grid-cols-[1fr_10rem_auto] md:items-start"
        onSubmit={(event) => {
          event.preventDefault();
          invite.mutate({ tenantSlug: slug, email, role });
        }}
      >
        <Field label="E-mail" error={fieldError(invite.error, "email")}>
          <Input type="email" value={email} onChange={(event) => setEmail(event.target.value)} required />
        </Field>
        <Field label="Role">
          <Select value={role} onChange={(event) => setRole(event.target.value as Role)}>
            {ROLES.map((option) => (
              <option key={option}>{option}</option>
            ))}
          </Select>
        </Field>
        <Button type="submit" busy={invite.isPending} className="md:mt-6">
          Create invite link
        </Button>
      </form>
      {formError(invite.error) && (
        <div className="mt-3">
          <Notice>{formError(invite.error)}</Notice>
        </div>
      )}
      {link && (
        <div className="mt-4">
          <Notice tone="success">
            <p>Send this link to the person. It works once and expires {time(invite.data!.expiresAt)}.</p>
            <p className="mt-2 flex gap-2">
              <input
                readOnly
                value={link}
                aria-label="Invite link"
                className="flex-1 rounded border border-emerald-300 bg-white px-2 py-1 font-mono text-xs"
                onFocus={(event) => event.target.select()}
              />
              <Button type="button" variant="secondary" onClick={() => void navigator.clipboard?.writeText(link)}>
                Copy
              </Button>
            </p>
          </Notice>
        </div>
      )}
    </Card>
  );
}

function OpenInvitations() {
  const time = useTime();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { slug } = useTenant();
  const invitations = useQuery(trpc.members.invitations.queryOptions({ tenantSlug: slug }));
  const revoke = useMutation(
    trpc.members.revokeInvitation.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.members.invitations.queryKey() }),
    }),
  );
  if (!invitations.data?.length) return null;
  return (
    <div className="mt-6">
      <h2 className="mb-2 text-sm font-semibold uppercase tracking-wide text-slate-500">Open invitations</h2>
      <Table head={["E-mail", "Role", "Expires", ""]}>
        {invitations.data.map((invitation) => (
          <tr key={invitation.id}>
            <td className="px-4 py-2">{invitation.email}</td>
            <td className="px-4 py-2">
              <Badge tone={roleTone[invitation.role]}>{invitation.role}</Badge>
            </td>
            <td className="px-4 py-2 text-slate-600">{time(invitation.expiresAt)}</td>
            <td className="px-4 py-2 text-right">
              <Button
                variant="secondary"
                busy={revoke.isPending && revoke.variables?.invitationId === invitation.id}
                onClick={() => revoke.mutate({ tenantSlug: slug, invitationId: invitation.id })}
              >
                Withdraw
              </Button>
            </td>
          </tr>
        ))}
      </Table>
    </div>
  );
}

export function MembersScreen() {
  const time = useTime();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const tenant = useTenant();
  const members = useQuery(trpc.members.list.queryOptions({ tenantSlug: tenant.slug }));
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.members.list.queryKey() });
  const changeRole = useMutation(trpc.members.changeRole.mutationOptions({ onSettled: refresh }));
  const remove = useMutation(trpc.members.remove.mutationOptions({ onSettled: refresh }));
  const leave = useMutation(trpc.members.leave.mutationOptions({ onSuccess: () => router.push("/") }));
  const isOwner = tenant.can("owner");
  const problem =
    formError(changeRole.error) ??
    formError(remove.error) ??
    formError(leave.error) ??
    fieldError(changeRole.error, "role") ??
    fieldError(remove.error, "role") ??
    fieldError(leave.error, "role");

  return (
    <>
      <PageHeader
        title="Members"
        description={
          isOwner
            ? "Invite people, set their roles, remove access."
            : "People with access to this ISP workspace. Owners manage membership."
        }
        actions={
          <Button
            variant="secondary"
            busy={leave.isPending}
            onClick={() =>
              confirm(`Leave ${tenant.name}? You lose access at once.`) && leave.mutate({ tenantSlug: tenant.slug })
            }
          >
            Leave workspace
          </Button>
        }
      />
      {problem && (
        <div className="mb-4">
          <Notice>{problem}</Notice>
        </div>
      )}
      {isOwner && <InviteForm />}
      <div className="mt-6">
        <Table
          head={["Name", "E-mail", "Role", "Joined", ...(isOwner ? [""] : [])]}
          empty={members.data?.length === 0 && <EmptyState>No members.</EmptyState>}
        >
          {members.data?.map((member) => (
            <tr key={member.membershipId}>
              <td className="px-4 py-2 font-medium">{member.name}</td>
              <td className="px-4 py-2 text-slate-600">{member.email}</td>
              <td className="px-4 py-2">
                {isOwner ? (
                  <Select
                    aria-label={`Role of ${member.email}`}
                    value={member.role}
                    className="w-28"
                    onChange={(event) =>
                      changeRole.mutate({
                        tenantSlug: tenant.slug,
                        membershipId: member.membershipId,
                        role: event.target.value as Role,
                      })
                    }
                  >
                    {ROLES.map((option) => (
                      <option key={option}>{option}</option>
                    ))}
                  </Select>
                ) : (
                  <Badge tone={roleTone[member.role]}>{member.role}</Badge>
                )}
              </td>
              <td className="px-4 py-2 text-slate-600">{time(member.joinedAt)}</td>
              {isOwner && (
                <td className="px-4 py-2 text-right">
                  <Button
                    variant="secondary"
                    onClick={() =>
                      confirm(`Remove ${member.email} from ${tenant.name}?`) &&
                      remove.mutate({ tenantSlug: tenant.slug, membershipId: member.membershipId })
                    }
                  >
                    Remove
                  </Button>
                </td>
              )}
            </tr>
          ))}
        </Table>
      </div>
      {isOwner && <OpenInvitations />}
    </>
  );
}
