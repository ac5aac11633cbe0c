import { IconActivity, IconAdjustments, IconBug, IconGauge, IconListSearch } from "@tabler/icons-react";

import { adminOnly } from "@/components/RequireAdmin";
import type { FeatureModule } from "@/lib/feature";

/** The admin console's system pages: settings, services, audit log, errors, performance. */
export const adminSystemFeature: FeatureModule = {
  id: "admin-system",
  translations: { en: () => import("@/features/admin-system/i18n/en.json") },
  routes: adminOnly([
    {
      path: "/admin/settings",
      page: () => import("@/features/admin-system/routes/SettingsPage").then((m) => m.SettingsPage),
    },
    {
      path: "/admin/services",
      page: () => import("@/features/admin-system/routes/ServicesPage").then((m) => m.ServicesPage),
    },
    {
      path: "/admin/audit",
      page: () => import("@/features/admin-system/routes/AuditLogPage").then((m) => m.AuditLogPage),
    },
    {
      path: "/admin/errors",
      page: () => import("@/features/admin-system/routes/ErrorsPage").then((m) => m.ErrorsPage),
    },
    {
      path: "/admin/performance",
      page: () => import("@/features/admin-system/routes/PerformancePage").then((m) => m.PerformancePage),
    },
  ]),
  nav: [
    { to: "/admin/services", label: "admin-system:nav.services", icon: IconActivity, order: 140, section: "admin" },
    { to: "/admin/audit", label: "admin-system:nav.audit", icon: IconListSearch, order: 160, section: "admin" },
    { to: "/admin/errors", label: "admin-system:nav.errors", icon: IconBug, order: 170, section: "admin" },
    { to: "/admin/performance", label: "admin-system:nav.performance", icon: IconGauge, order: 180, section: "admin" },
    { to: "/admin/settings", label: "admin-system:nav.settings", icon: IconAdjustments, order: 190, section: "admin" },
  ],
};
