// The role order, shared by the API's checks and the UI's choice of what to show.
import type { Role } from "@/db/schema";

const RANK: Record<Role, number> = { viewer: 0, admin: 1, owner: 2 };

export const hasRole = (role: Role, minimum: Role) => RANK[role] >= RANK[minimum];
