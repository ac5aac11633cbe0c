import { NavLink, Stack, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link, useLocation } from "wouter";

import { FEATURES } from "@/app/features";
import type { NavEntry } from "@/lib/feature";
import { useCurrentUser } from "@/lib/session";

function sorted(entries: NavEntry[]): NavEntry[] {
  return [...entries].sort((a, b) => a.order - b.order);
}

function isActive(pathname: string, to: string): boolean {
  return to === "/" ? pathname === "/" : pathname === to || pathname.startsWith(`${to}/`);
}

/** The navbar, built from every feature's `nav` entries. */
export function NavLinks({ onNavigate }: { onNavigate: () => void }) {
  const { t } = useTranslation();
  const [pathname] = useLocation();
  const user = useCurrentUser();
  const entries = FEATURES.flatMap((feature) => feature.nav ?? []);
  const main = sorted(entries.filter((entry) => (entry.section ?? "main") === "main"));
  const admin = user?.role === "admin" ? sorted(entries.filter((e) => e.section === "admin")) : [];
  const render = (entry: NavEntry) => (
    <NavLink
      key={entry.to}
      component={Link}
      to={entry.to}
      label={t(entry.label)}
      leftSection={<entry.icon size={20} stroke={1.6} />}
      active={isActive(pathname, entry.to)}
      aria-current={isActive(pathname, entry.to) ? "page" : undefined}
      onClick={onNavigate}
    />
  );
  return (
    <Stack gap={2} component="nav">
      {main.map(render)}
      {admin.length > 0 && (
        <>
          <Text size="xs" fw={700} c="dimmed" tt="uppercase" mt="md" mb={4} px="sm">
            {t("shell.adminSection")}
          </Text>
          {admin.map(render)}
        </>
      )}
    </Stack>
  );
}
