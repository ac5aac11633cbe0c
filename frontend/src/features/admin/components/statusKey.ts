/** `partially_available` → `partiallyAvailable`, the key of the status strings. */
export function statusKey(status: string): string {
  return status.replace(/_(\w)/g, (_, letter: string) => letter.toUpperCase());
}
