/** POSIX shell quoting: words of safe characters as they are, anything else in single quotes ('\'' for a quote). */
const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

export function shellQuote(word: string): string {
  return SAFE.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}
