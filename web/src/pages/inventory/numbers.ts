// Form text to the API's numbers. Text that is not a number is sent as it is, so that the server's
// field error (422 naming the field) tells the user what is wrong, beside the field.

export function integerOrText(text: string): number | string | undefined {
  const trimmed = text.trim();
  if (trimmed === "") return undefined;
  return /^[-+]?\d+$/.test(trimmed) ? Number(trimmed) : trimmed;
}

// Yuan as typed ("19.9") to fen (1990).
export function fenOrText(yuan: string): number | string | undefined {
  const trimmed = yuan.trim();
  if (trimmed === "") return undefined;
  if (!/^\d+(\.\d{1,2})?$/.test(trimmed)) return trimmed;
  const [whole, fraction = ""] = trimmed.split(".");
  return Number(whole) * 100 + Number(fraction.padEnd(2, "0"));
}
