import type { AreaRoutes } from "@/router";
import { User } from "@element-plus/icons-vue";

export const routes: AreaRoutes["routes"] = [
  { path: "users", component: () => import("./UsersPage.vue") },
];

export const menu: AreaRoutes["menu"] = [
  { path: "/users", titleKey: "users.title", icon: User, order: 90, ownerOnly: true },
];
