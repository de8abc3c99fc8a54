import type { AreaRoutes } from "@/router";
import { Setting } from "@element-plus/icons-vue";

// Every role may open the page for its exports; the audit log needs read_audit and the other
// tabs the owner's manage permission (the page shows only the tabs the role may use).
export const routes: AreaRoutes["routes"] = [
  { path: "settings", component: () => import("./SettingsPage.vue") },
];

export const menu: AreaRoutes["menu"] = [
  { path: "/settings", titleKey: "settings.title", icon: Setting, order: 95, permission: "read" },
];
