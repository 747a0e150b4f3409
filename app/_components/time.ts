// Times as a tenant reads them: in its time zone, always labelled with the zone, on screens and in exports.

const DISPLAY: Intl.DateTimeFormatOptions = {
  day: "numeric",
  month: "short",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
  timeZoneName: "short",
};

/** "25 Nov 2026, 20:05 CET": the zone's own abbreviation (or GMT offset) names the zone the time is in. */
export function formatInZone(value: Date | string, timeZone?: string): string {
  return new Date(value).toLocaleString("en-GB", { ...DISPLAY, timeZone });
}

/** ISO 8601 with the zone's offset at that instant ("2026-11-25T20:05:03+01:00"), for spreadsheets and scripts. */
export function isoInZone(value: Date | string, timeZone: string): string {
  const date = new Date(value);
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-CA", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      hourCycle: "h23",
      timeZoneName: "longOffset",
    })
      .formatToParts(date)
      .map((part) => [part.type, part.value]),
  );
  // "GMT" alone is UTC itself; otherwise "GMT+01:00".
  const offset = parts.timeZoneName === "GMT" ? "+00:00" : parts.timeZoneName!.slice(3);
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}${offset}`;
}

/** Every time zone this runtime knows, for the picker; UTC first, as it is the default. */
export function knownTimeZones(): string[] {
  return ["UTC", ...Intl.supportedValuesOf("timeZone").filter((zone) => zone !== "UTC")];
}

/** Zones whose id matches every word typed, with "_" read as a space: "london" finds Europe/London. */
export function searchTimeZones(zones: string[], text: string, limit = 8): string[] {
  const words = text
    .toLowerCase()
    .split(/[\s/_,]+/)
    .filter(Boolean);
  if (words.length === 0) return [];
  return zones
    .filter((zone) => {
      const id = zone.toLowerCase().replace(/_/g, " ");
      return words.every((word) => id.includes(word));
    })
    .slice(0, limit);
}
