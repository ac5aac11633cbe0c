import { IconBell, IconChartBar, IconDownload, IconListCheck, IconUsers } from "@tabler/icons-react";

import { adminOnly } from "@/components/RequireAdmin";
import type { FeatureModule } from "@/lib/feature";

/** The people side of the admin console: overview, users, requests, downloads, broadcasts. */
export const adminFeature: FeatureModule = {
  id: "admin",
  translations: { en: () => import("@/features/admin/i18n/en.json") },
  routes: adminOnly([
    {
      path: "/admin",
      page: () => import("@/features/admin/routes/AdminHome").then((m) => m.AdminHome),
    },
    {
      path: "/admin/overview",
      page: () => import("@/features/admin/routes/OverviewPage").then((m) => m.OverviewPage),
    },
    {
      path: "/admin/users",
      page: () => import("@/features/admin/routes/UsersPage").then((m) => m.UsersPage),
    },
    {
      path: "/admin/users/:id",
      page: () => import("@/features/admin/routes/UserPage").then((m) => m.UserPage),
    },
    {
      path: "/admin/requests",
      page: () => import("@/features/admin/routes/RequestsPage").then((m) => m.RequestsPage),
    },
    {
      path: "/admin/downloads",
      page: () => import("@/features/admin/routes/DownloadsPage").then((m) => m.DownloadsPage),
    },
    {
      path: "/admin/notifications",
      page: () => import("@/features/admin/routes/BroadcastPage").then((m) => m.BroadcastPage),
    },
  ]),
  nav: [
    { to: "/admin/overview", label: "admin:nav.overview", icon: IconChartBar, order: 100, section: "admin" },
    { to: "/admin/users", label: "admin:nav.users", icon: IconUsers, order: 110, section: "admin" },
    { to: "/admin/requests", label: "admin:nav.requests", icon: IconListCheck, order: 120, section: "admin" },
    { to: "/admin/downloads", label: "admin:nav.downloads", icon: IconDownload, order: 130, section: "admin" },
    { to: "/admin/notifications", label: "admin:nav.broadcast", icon: IconBell, order: 140, section: "admin" },
  ],
};
