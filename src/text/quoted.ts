/** Shows a value from outside in a message: quoted, control characters escaped, cut after 80 characters. */
export function quoted(value: string): string {
  const shown = value.length > 80 ? `${value.slice(0, 80)}…` : value;
  return JSON.stringify(shown);
}
