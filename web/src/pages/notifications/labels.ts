// Words for the API's codes, shared by the tabs of the notifications page.
import { useI18n } from "vue-i18n";
import { useEventName } from "@/composables/labels";

export function useLabels() {
  const { t } = useI18n();
  return {
    event: useEventName(),
    channel: (channel: string) => t(`notifications.channel.${channel}`),
    status: (status: string) => t(`notifications.status.${status}`),
    template: (source: string) =>
      t(`notifications.template.${source === "write-back" ? "writeBack" : source}`),
    locale: (locale: string) =>
      t(`notifications.templates.locales.${locale === "zh-CN" ? "zhCN" : locale}`),
  };
}

export const statusTagType: Record<string, "success" | "warning" | "danger" | "info" | "primary"> = {
  queued: "info",
  sending: "primary",
  sent: "success",
  delivered: "success",
  failed: "warning",
  dead: "danger",
};
