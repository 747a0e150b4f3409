"use client";
// A time zone chosen from the runtime's list by searching it ("London" finds Europe/London), not typed as an IANA id.
import { useMemo, useState } from "react";
import { knownTimeZones, searchTimeZones } from "./time";

type Props = {
  value: string;
  onChange: (timeZone: string) => void;
  disabled?: boolean;
  id?: string;
  "aria-describedby"?: string;
  "aria-invalid"?: boolean;
};

export function TimeZonePicker({ value, onChange, disabled, ...control }: Props) {
  const zones = useMemo(knownTimeZones, []);
  const [text, setText] = useState(value);
  const matches = text === value ? [] : searchTimeZones(zones, text);
  const listId = `${control.id ?? "time-zone"}-matches`;
  const choose = (zone: string) => {
    onChange(zone);
    setText(zone);
  };
  return (
    <div className="relative">
      <input
        {...control}
        role="combobox"
        aria-expanded={matches.length > 0}
        aria-controls={listId}
        aria-autocomplete="list"
        autoComplete="off"
        disabled={disabled}
        value={text}
        placeholder="Search a city or region, such as London"
        onChange={(event) => setText(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === "Enter" && matches[0]) {
            event.preventDefault();
            choose(matches[0]);
          }
        }}
        className="block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm focus:border-indigo-500 focus:outline-none focus:ring-1 focus:ring-indigo-500 disabled:bg-slate-100"
      />
      {matches.length > 0 && (
        <div
          id={listId}
          role="listbox"
          aria-label="Matching time zones"
          className="absolute z-10 mt-1 max-h-64 w-full overflow-auto rounded-md border border-slate-200 bg-white py-1 text-sm shadow-lg"
        >
          {matches.map((zone) => (
            <div
              key={zone}
              role="option"
              aria-selected={zone === value}
              tabIndex={-1}
              onClick={() => choose(zone)}
              onKeyDown={(event) => event.key === "Enter" && choose(zone)}
              className="cursor-pointer px-3 py-1.5 hover:bg-indigo-50"
            >
              {zone}
            </div>
          ))}
        </div>
      )}
      {text !== value && matches.length === 0 && text.trim() !== "" && (
        <p className="mt-1 text-xs text-amber-800">
          No time zone matches “{text}”; still {value}.
        </p>
      )}
    </div>
  );
}
