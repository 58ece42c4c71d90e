/** Redis's sdscatrepr: how MONITOR, CONFIG REWRITE and log lines quote bytes (latin1 strings). */

/** Quotes an argument like Redis's sdscatrepr: "…" with \\ \" \n \r \t \a \b and \xHH escapes. */
export function quoteArg(a: string): string {
  let out = '"';
  for (let i = 0; i < a.length; i++) {
    const c = a.charCodeAt(i);
    if (c === 92) out += '\\\\';
    else if (c === 34) out += '\\"';
    else if (c === 10) out += '\\n';
    else if (c === 13) out += '\\r';
    else if (c === 9) out += '\\t';
    else if (c === 7) out += '\\a';
    else if (c === 8) out += '\\b';
    else if (c < 32 || c > 126) out += '\\x' + c.toString(16).padStart(2, '0');
    else out += a[i];
  }
  return out + '"';
}
