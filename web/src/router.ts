// Client routes. Each area of the console registers its own pages and menu entries in
// pages/<area>/routes.ts; the shell adds the login page and sends anyone without a session there.
import type { Component } from "vue";
import { createRouter, createWebHistory, type RouteRecordRaw } from "vue-router";
import type { Permission } from "./session";
import { loadSession, session } from "./session";
import AppLayout from "./layout/AppLayout.vue";
import LoginPage from "./pages/login/LoginPage.vue";

export interface MenuEntry {
  path: string;
  titleKey: string;
  icon: Component; // from @element-plus/icons-vue
  order: number;
  permission?: Permission;
  ownerOnly?: boolean;
}

export interface AreaRoutes {
  routes: RouteRecordRaw[];
  menu: MenuEntry[];
}

const areas = import.meta.glob<AreaRoutes>("./pages/*/routes.ts", { eager: true });

export const menu: MenuEntry[] = Object.values(areas)
  .flatMap((area) => area.menu)
  .sort((a, b) => a.order - b.order);

const areaRoutes = Object.values(areas).flatMap((area) => area.routes);
const home = menu[0]?.path ?? "/login";

export const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: "/login", name: "login", component: LoginPage, meta: { public: true } },
    {
      path: "/",
      component: AppLayout,
      children: [{ path: "", redirect: home }, ...areaRoutes],
    },
    { path: "/:rest(.*)*", redirect: home },
  ],
});

router.beforeEach(async (to) => {
  if (!session.loaded) await loadSession();
  if (to.meta.public) return session.info && to.name === "login" ? home : true;
  if (!session.info) return { name: "login", query: { next: to.fullPath } };
  return true;
});
