import type { AreaRoutes } from "@/router";
import { UserFilled } from "@element-plus/icons-vue";

export const routes: AreaRoutes["routes"] = [
  { path: "customers", component: () => import("./RepurchasePage.vue") },
];

export const menu: AreaRoutes["menu"] = [
  { path: "/customers", titleKey: "customers.title", icon: UserFilled, order: 35, permission: "read" },
];
