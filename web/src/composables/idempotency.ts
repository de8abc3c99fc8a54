// A fresh Idempotency-Key per submitted form, so a retried request is applied once (docs/api.md,
// Idempotency). getRandomValues works outside secure contexts too (plain http on a LAN address),
// unlike crypto.randomUUID.
export function idempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
