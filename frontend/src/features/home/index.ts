import { IconHome } from "@tabler/icons-react";

import type { FeatureModule } from "@/lib/feature";

export const homeFeature: FeatureModule = {
  id: "home",
  translations: { en: () => import("@/features/home/i18n/en.json") },
  routes: [
    {
      path: "/",
      page: () => import("@/features/home/routes/HomePage").then((m) => m.HomePage),
    },
  ],
  nav: [{ to: "/", label: "home:nav", icon: IconHome, order: 10 }],
};
