"use client";
// A time in the time zone of the browser reading it, labelled with that zone; the server, which cannot know the zone,
// renders it in UTC, labelled so, until the browser takes over.
import { useEffect, useState } from "react";
import { formatInZone } from "../_components/time";

export function ViewerTime({ value }: { value: string }) {
  const [timeZone, setTimeZone] = useState("UTC");
  useEffect(() => setTimeZone(Intl.DateTimeFormat().resolvedOptions().timeZone), []);
  return (
    <time dateTime={value} title={`Your time zone: ${timeZone}`}>
      {formatInZone(value, timeZone)}
    </time>
  );
}
