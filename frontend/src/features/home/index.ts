import { IconHome } from "@tabler/icons-react";

import type { FeatureModule } from "@/lib/feature";

export const homeFeature: FeatureModule = {
  id: "home",
  translations: { en: () => import("@/features/home/i18n/en.json") },
  routes: [
    {
      index: true,
      lazy: () => import("@/features/home/routes/HomePage").then((m) => ({ Component: m.HomePage })),
    },
  ],
  nav: [{ to: "/", label: "home:nav", icon: IconHome, order: 10 }],
};
