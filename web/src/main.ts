import { createApp } from "vue";
import App from "./App.vue";
import { i18n } from "./i18n";
import { router } from "./router";
import { whenUnauthenticated } from "./api";
import { forgetSession } from "./session";
import "./styles.css";

const app = createApp(App);
app.use(i18n).use(router);

whenUnauthenticated(() => {
  forgetSession();
  const here = router.currentRoute.value;
  if (here.name !== "login") router.replace({ name: "login", query: { next: here.fullPath } });
});

app.mount("#app");
