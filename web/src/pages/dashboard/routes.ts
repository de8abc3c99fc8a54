import type { AreaRoutes } from "@/router";
import { DataLine } from "@element-plus/icons-vue";

export const routes: AreaRoutes["routes"] = [
  { path: "dashboard", component: () => import("./DashboardPage.vue") },
];

export const menu: AreaRoutes["menu"] = [
  { path: "/dashboard", titleKey: "dashboard.title", icon: DataLine, order: 10, permission: "read" },
];
