// An amount as people type it in major units ("39.8") to minor units (3980), the API's integer
// amounts; null when it is not one (at most two decimals). Exact: no floating-point step.
export function parseMoney(text: string): number | null {
  const trimmed = text.trim();
  if (!/^\d+(\.\d{1,2})?$/.test(trimmed)) return null;
  const [whole = "", fraction = ""] = trimmed.split(".");
  return Number(whole) * 100 + Number(fraction.padEnd(2, "0"));
}
