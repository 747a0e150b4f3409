// Tenant names and addresses: the rules, shared by the API and the form that suggests an address.
import { z } from "zod";

export const tenantName = z.string().trim().min(2, "Use at least 2 characters").max(100, "Use at most 100 characters");

export const tenantSlug = z
  .string()
  .trim()
  .min(3, "Use at least 3 characters")
  .max(48, "Use at most 48 characters")
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "Use lower-case letters, digits and single hyphens");

/** A URL-safe address suggested from a tenant's name. */
export function slugFromName(name: string): string {
  return name
    .replace(/[øØ]/g, "o")
    .replace(/[æÆ]/g, "ae")
    .replace(/ß/g, "ss")
    .replace(/[łŁ]/g, "l")
    .replace(/[đĐ]/g, "d")
    .replace(/[ħĦ]/g, "h")
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 48)
    .replace(/-+$/, "");
}
