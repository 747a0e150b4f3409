"use client";
// The time zone the screens show times in (the tenant's, in the tenant area), so every component formats alike.
import { createContext, type ReactNode, useContext } from "react";
import { formatInZone } from "./time";

const TimeZoneContext = createContext<string | undefined>(undefined);

export function TimeZoneProvider({ timeZone, children }: { timeZone: string; children?: ReactNode }) {
  return <TimeZoneContext.Provider value={timeZone}>{children}</TimeZoneContext.Provider>;
}

/** Formats a time in the surrounding zone, labelled with it: "25 Nov 2026, 20:05 CET". */
export function useTime(): (value: Date | string) => string {
  const timeZone = useContext(TimeZoneContext);
  return (value) => formatInZone(value, timeZone);
}
