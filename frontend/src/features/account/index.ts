import { IconUserCircle } from "@tabler/icons-react";

import type { FeatureModule } from "@/lib/feature";

export const accountFeature: FeatureModule = {
  id: "account",
  translations: { en: () => import("@/features/account/i18n/en.json") },
  routes: [
    {
      path: "/account",
      page: () => import("@/features/account/routes/AccountPage").then((m) => m.AccountPage),
    },
  ],
  nav: [{ to: "/account", label: "account:nav", icon: IconUserCircle, order: 90 }],
};
