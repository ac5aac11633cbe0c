import { IconUserCircle } from "@tabler/icons-react";

import en from "@/features/account/i18n/en.json";
import type { FeatureModule } from "@/lib/feature";

export const accountFeature: FeatureModule = {
  id: "account",
  translations: { en },
  routes: [
    {
      path: "account",
      lazy: () => import("@/features/account/routes/AccountPage").then((m) => ({ Component: m.AccountPage })),
    },
  ],
  nav: [{ to: "/account", label: "account:nav", icon: IconUserCircle, order: 90 }],
};
