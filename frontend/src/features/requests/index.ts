import { IconListCheck } from "@tabler/icons-react";

import type { FeatureModule } from "@/lib/feature";

export const requestsFeature: FeatureModule = {
  id: "requests",
  translations: { en: () => import("@/features/requests/i18n/en.json") },
  routes: [
    {
      path: "/requests",
      page: () => import("@/features/requests/routes/RequestsPage").then((m) => m.RequestsPage),
    },
    {
      path: "/requests/:id",
      page: () => import("@/features/requests/routes/RequestPage").then((m) => m.RequestPage),
    },
  ],
  nav: [{ to: "/requests", label: "requests:nav", icon: IconListCheck, order: 30 }],
};
