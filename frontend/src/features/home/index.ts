import { IconHome } from "@tabler/icons-react";

import en from "@/features/home/i18n/en.json";
import type { FeatureModule } from "@/lib/feature";

export const homeFeature: FeatureModule = {
  id: "home",
  translations: { en },
  routes: [
    {
      index: true,
      lazy: () => import("@/features/home/routes/HomePage").then((m) => ({ Component: m.HomePage })),
    },
  ],
  nav: [{ to: "/", label: "home:nav", icon: IconHome, order: 10 }],
};
