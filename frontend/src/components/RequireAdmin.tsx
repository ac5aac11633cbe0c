import { Button, Stack, Text, ThemeIcon } from "@mantine/core";
import { IconLock } from "@tabler/icons-react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "wouter";

import { PageHeader } from "@/components/PageHeader";
import type { RouteDef } from "@/lib/feature";
import { useCurrentUser } from "@/lib/session";

/** The 403 page a signed-in non-admin sees on an admin address. */
export function ForbiddenPage() {
  const { t } = useTranslation();
  return (
    <Stack align="center" gap="md" py="xl" ta="center">
      <ThemeIcon size={56} radius="xl" variant="light" color="red" aria-hidden>
        <IconLock size={30} stroke={1.5} />
      </ThemeIcon>
      <PageHeader title={t("states.forbiddenTitle")} />
      <Text fw={600}>{t("states.forbiddenHeading")}</Text>
      <Text c="dimmed" maw={460}>
        {t("states.forbiddenBody")}
      </Text>
      <Button component={Link} to="/" variant="light">
        {t("states.goHome")}
      </Button>
    </Stack>
  );
}

/** Layout of admin pages: they render for admins only, others get a 403. */
export function RequireAdmin({ children }: { children: ReactNode }) {
  const user = useCurrentUser();
  return user?.role === "admin" ? children : <ForbiddenPage />;
}

/** Admin pages: friends who type their address get the 403 page instead. */
export function adminOnly(routes: RouteDef[]): RouteDef[] {
  return routes.map((route) => ({ ...route, layout: RequireAdmin }));
}
