// Translations: zh-CN by default, English one click away. Every area of the console keeps its own
// messages (pages/<area>/locales.ts, and locales/*.ts for the shell); each file types its English
// table as its Chinese one, so a string missing in either language fails the build.
import { createI18n } from "vue-i18n";

export const locales = ["zh-CN", "en"] as const;
export type Locale = (typeof locales)[number];
type Tree = { [key: string]: string | Tree };
type Messages = Record<Locale, Tree>;

const modules = import.meta.glob<{ default: Messages }>(
  ["./locales/*.ts", "./pages/*/locales.ts"],
  { eager: true },
);

const messages: Messages = { "zh-CN": {}, en: {} };
for (const [file, module] of Object.entries(modules)) {
  for (const locale of locales) {
    for (const [namespace, tree] of Object.entries(module.default[locale])) {
      if (namespace in messages[locale]) throw new Error(`${file}: "${namespace}" is defined twice`);
      messages[locale][namespace] = tree;
    }
  }
}

const kStorageKey = "depot.locale";

function initialLocale(): Locale {
  const saved = localStorage.getItem(kStorageKey);
  return (locales as readonly string[]).includes(saved ?? "") ? (saved as Locale) : "zh-CN";
}

export const i18n = createI18n({
  legacy: false,
  locale: initialLocale(),
  fallbackLocale: "zh-CN",
  messages,
  missingWarn: import.meta.env.DEV,
  fallbackWarn: import.meta.env.DEV,
});

export function currentLocale(): Locale {
  return i18n.global.locale.value as Locale;
}

export function setLocale(locale: Locale): void {
  i18n.global.locale.value = locale;
  localStorage.setItem(kStorageKey, locale);
  document.documentElement.lang = locale;
}

document.documentElement.lang = currentLocale();
