// Money and dates for the current locale. The API gives amounts in minor units (fen) with an ISO
// 4217 currency, and instants as ISO 8601 UTC; people read them in their own locale and time zone.
import { currentLocale } from "./i18n";

export function money(minor: number | null | undefined, currency = "CNY"): string {
  if (minor === null || minor === undefined) return "—";
  return new Intl.NumberFormat(currentLocale(), { style: "currency", currency }).format(minor / 100);
}

export function dateTime(iso: string | null | undefined): string {
  if (!iso) return "—";
  return new Intl.DateTimeFormat(currentLocale(), {
    dateStyle: "medium",
    timeStyle: "short",
  }).format(new Date(iso));
}

export function date(iso: string | null | undefined): string {
  if (!iso) return "—";
  return new Intl.DateTimeFormat(currentLocale(), { dateStyle: "medium" }).format(new Date(iso));
}

export function count(value: number | null | undefined): string {
  if (value === null || value === undefined) return "—";
  return new Intl.NumberFormat(currentLocale()).format(value);
}

export function percent(ratio: number | null | undefined): string {
  if (ratio === null || ratio === undefined) return "—";
  return new Intl.NumberFormat(currentLocale(), { style: "percent", maximumFractionDigits: 1 }).format(
    ratio,
  );
}
