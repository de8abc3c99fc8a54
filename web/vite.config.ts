// Builds the merchant console (web/src) into dist/console/, which depot serves at /. Hashed
// assets go to /assets/ (cached for a year); index.html is served uncached for every client route.
// Element Plus components (and their styles) are imported where a template or script uses them,
// so a page that is not open costs nothing; pages are loaded on demand by the router.
import { defineConfig } from "vite";
import vue from "@vitejs/plugin-vue";
import AutoImport from "unplugin-auto-import/vite";
import Components from "unplugin-vue-components/vite";
import { ElementPlusResolver } from "unplugin-vue-components/resolvers";
import { fileURLToPath, URL } from "node:url";

export default defineConfig({
  plugins: [
    vue(),
    AutoImport({ resolvers: [ElementPlusResolver()], dts: "src/auto-imports.d.ts" }),
    Components({ resolvers: [ElementPlusResolver()], dts: "src/components.d.ts" }),
  ],
  base: "/",
  publicDir: false,
  resolve: { alias: { "@": fileURLToPath(new URL("./src", import.meta.url)) } },
  build: {
    outDir: "dist/console",
    emptyOutDir: true,
    assetsDir: "assets",
    sourcemap: false,
    // ECharts is one lazy chunk of about 540 kB (180 kB gzip), loaded only by the dashboard.
    chunkSizeWarningLimit: 600,
  },
  server: {
    // `npm run dev` proxies the API to a depot started with --listen 127.0.0.1:8080.
    proxy: { "/api": "http://127.0.0.1:8080", "/media": "http://127.0.0.1:8080" },
  },
});
