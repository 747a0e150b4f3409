// Reads the "Data Structures" of Splynx's API Blueprint, so contract tests check fields against Splynx's own document.
import { readFileSync } from "node:fs";
import path from "node:path";

export type BlueprintField = { name: string; type: string; required: boolean; nullable: boolean };

let cached: Map<string, { base?: string; fields: BlueprintField[] }> | undefined;

function structures() {
  if (cached) return cached;
  cached = new Map();
  const text = readFileSync(path.join(process.cwd(), "specs/splynx/splynx-api-v2.0.apib"), "utf8");
  let current: { base?: string; fields: BlueprintField[] } | undefined;
  for (const line of text.split("\n")) {
    const heading = /^## ([^[(]+?)\s*\(([^)]*)\)\s*$/.exec(line);
    if (heading) {
      const [, name, kind] = heading;
      current = { base: kind === "object" ? undefined : kind, fields: [] };
      cached.set(name!.trim(), current);
      continue;
    }
    if (/^#/.test(line)) current = undefined;
    const field = /^\+ `?([A-Za-z_0-9]+)`?(?::[^(]*)?(?:\s*\(([^)]*)\))?/.exec(line);
    if (current && field) {
      const attributes = (field[2] ?? "string").split(",").map((part) => part.trim());
      current.fields.push({
        name: field[1]!,
        type: attributes[0] ?? "string",
        required: attributes.includes("required"),
        nullable: attributes.includes("nullable"),
      });
    }
  }
  return cached;
}

/** The fields of a named structure, with those of the structure it extends. */
export function blueprintFields(name: string): BlueprintField[] {
  const structure = structures().get(name);
  if (!structure) throw new Error(`The Blueprint has no data structure "${name}"`);
  return [...(structure.base ? blueprintFields(structure.base) : []), ...structure.fields];
}
