// OAuth scopes as Zoho checks them per operation: `ZohoBooks.<family>.<OP>`, granted by the exact scope, the family's
// `ALL`, or `ZohoBooks.fullaccess.all` (reference §1.3); names compared ignoring case, as Zoho's own examples mix it.

/** Whether a token's comma-separated scopes cover every scope the operation's `security` block names. */
export function scopesCover(tokenScopes: string, required: readonly string[]): boolean {
  const granted = new Set(
    tokenScopes
      .split(",")
      .map((scope) => scope.trim().toLowerCase())
      .filter(Boolean),
  );
  if (granted.has("zohobooks.fullaccess.all")) return true;
  return required.every((scope) => {
    const [product, family] = scope.toLowerCase().split(".");
    return granted.has(scope.toLowerCase()) || granted.has(`${product}.${family}.all`);
  });
}
