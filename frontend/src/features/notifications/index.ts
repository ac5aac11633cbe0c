import { IconBell } from "@tabler/icons-react";
import { createElement, lazy, Suspense } from "react";

import type { FeatureModule } from "@/lib/feature";

const LazyBell = lazy(() =>
  import("@/features/notifications/components/NotificationBell").then((m) => ({
    default: m.NotificationBell,
  })),
);

/** The header's bell and drawer, loaded with the shell (not in the sign-in bundle). */
export function NotificationBell() {
  return createElement(Suspense, { fallback: null }, createElement(LazyBell));
}

export const notificationsFeature: FeatureModule = {
  id: "notifications",
  translations: { en: () => import("@/features/notifications/i18n/en.json") },
  routes: [
    {
      path: "/notifications",
      page: () => import("@/features/notifications/routes/NotificationsPage").then((m) => m.NotificationsPage),
    },
  ],
  nav: [{ to: "/notifications", label: "notifications:nav", icon: IconBell, order: 80 }],
};
