// JSON reading that keeps long integers as text: Zoho ids exceed JavaScript's safe integers and must never pass through a number.

/** Quotes every bare integer of 16 or more digits outside strings, then parses. */
export function parseJsonKeepingBigIntegers(text: string): unknown {
  let output = "";
  let index = 0;
  let inString = false;
  while (index < text.length) {
    const char = text[index]!;
    if (inString) {
      output += char;
      if (char === "\\") {
        output += text[index + 1] ?? "";
        index += 2;
        continue;
      }
      if (char === '"') inString = false;
      index++;
      continue;
    }
    if (char === '"') {
      inString = true;
      output += char;
      index++;
      continue;
    }
    if (char === "-" || (char >= "0" && char <= "9")) {
      const match = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(index, index + 64))!;
      const literal = match[0];
      const isLongInteger = !match[1] && !match[2] && literal.replace("-", "").length >= 16;
      output += isLongInteger ? `"${literal}"` : literal;
      index += literal.length;
      continue;
    }
    output += char;
    index++;
  }
  return JSON.parse(output);
}
