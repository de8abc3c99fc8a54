import type { AreaRoutes } from "@/router";
import { Filter } from "@element-plus/icons-vue";

export const routes: AreaRoutes["routes"] = [
  { path: "rules", component: () => import("./RulesPage.vue") },
];

export const menu: AreaRoutes["menu"] = [
  { path: "/rules", titleKey: "rules.title", icon: Filter, order: 60, permission: "read" },
];
