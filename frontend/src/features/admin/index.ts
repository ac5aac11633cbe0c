import { IconBell, IconChartBar, IconDownload, IconListCheck, IconUsers } from "@tabler/icons-react";

import { RequireAdmin } from "@/components/RequireAdmin";
import type { FeatureModule } from "@/lib/feature";

/** The people side of the admin console: overview, users, requests, downloads, broadcasts. */
export const adminFeature: FeatureModule = {
  id: "admin",
  translations: { en: () => import("@/features/admin/i18n/en.json") },
  routes: [
    {
      // Friends who type an admin address get a 403 page instead of the page.
      Component: RequireAdmin,
      children: [
        {
          path: "admin",
          lazy: () => import("@/features/admin/routes/AdminHome").then((m) => ({ Component: m.AdminHome })),
        },
        {
          path: "admin/overview",
          lazy: () =>
            import("@/features/admin/routes/OverviewPage").then((m) => ({ Component: m.OverviewPage })),
        },
        {
          path: "admin/users",
          lazy: () => import("@/features/admin/routes/UsersPage").then((m) => ({ Component: m.UsersPage })),
        },
        {
          path: "admin/users/:id",
          lazy: () => import("@/features/admin/routes/UserPage").then((m) => ({ Component: m.UserPage })),
        },
        {
          path: "admin/requests",
          lazy: () =>
            import("@/features/admin/routes/RequestsPage").then((m) => ({ Component: m.RequestsPage })),
        },
        {
          path: "admin/downloads",
          lazy: () =>
            import("@/features/admin/routes/DownloadsPage").then((m) => ({ Component: m.DownloadsPage })),
        },
        {
          path: "admin/notifications",
          lazy: () =>
            import("@/features/admin/routes/BroadcastPage").then((m) => ({ Component: m.BroadcastPage })),
        },
      ],
    },
  ],
  nav: [
    { to: "/admin/overview", label: "admin:nav.overview", icon: IconChartBar, order: 100, section: "admin" },
    { to: "/admin/users", label: "admin:nav.users", icon: IconUsers, order: 110, section: "admin" },
    { to: "/admin/requests", label: "admin:nav.requests", icon: IconListCheck, order: 120, section: "admin" },
    { to: "/admin/downloads", label: "admin:nav.downloads", icon: IconDownload, order: 130, section: "admin" },
    { to: "/admin/notifications", label: "admin:nav.broadcast", icon: IconBell, order: 140, section: "admin" },
  ],
};
