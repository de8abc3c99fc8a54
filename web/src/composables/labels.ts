// Words for what the API names by code or in two languages, shared by several areas.
import { useI18n } from "vue-i18n";
import { currentLocale } from "@/i18n";

// An event type in words (events.* of the shell's locales, e.g. "order.held"), or the type itself
// for one this console does not know yet. Call it in a component's setup.
export function useEventName(): (type: string) => string {
  const { t, te } = useI18n();
  return (type) => (te(`events.${type}`) ? t(`events.${type}`) : type);
}

// The name of something the API names in both languages (carriers), in the current locale.
export function localName(named: { name_zh: string; name_en: string }): string {
  return currentLocale() === "en" ? named.name_en : named.name_zh;
}
