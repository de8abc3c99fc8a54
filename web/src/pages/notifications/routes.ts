import type { AreaRoutes } from "@/router";
import { Message } from "@element-plus/icons-vue";

export const routes: AreaRoutes["routes"] = [
  { path: "notifications", component: () => import("./NotificationsPage.vue") },
];

export const menu: AreaRoutes["menu"] = [
  { path: "/notifications", titleKey: "notifications.title", icon: Message, order: 50, permission: "read" },
];
