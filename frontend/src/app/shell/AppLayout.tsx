import {
  AppShell,
  Burger,
  Group,
  ScrollArea,
  Text,
  ThemeIcon,
  UnstyledButton,
} from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { Notifications } from "@mantine/notifications";
import "@mantine/notifications/styles.css";
import { IconBoxMultiple } from "@tabler/icons-react";
import { Suspense, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Link, useLocation } from "wouter";

import { ColorSchemeToggle } from "@/app/shell/ColorSchemeToggle";
import { NavLinks } from "@/app/shell/NavLinks";
import { ReconnectingBanner } from "@/app/shell/ReconnectingBanner";
import { RealtimeConnection } from "@/app/shell/RealtimeConnection";
import { SkipLink, skipTargetClass } from "@/app/shell/SkipLink";
import { UserMenu } from "@/app/shell/UserMenu";
import { LoadingState } from "@/components/LoadingState";
import { NotificationBell } from "@/features/notifications";

/** The signed-in frame: header, navbar (a burger drawer under the `sm` breakpoint), content. */
export function AppLayout({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const [opened, { toggle, close }] = useDisclosure(false);
  const [path] = useLocation();
  return (
    <RealtimeConnection>
      <SkipLink target="main" />
      <Notifications position="top-right" />
      <AppShell
        header={{ height: 56 }}
        navbar={{ width: 240, breakpoint: "sm", collapsed: { mobile: !opened } }}
        padding={{ base: "sm", sm: "lg" }}
      >
        <AppShell.Header>
          <Group h="100%" px="md" justify="space-between" wrap="nowrap">
            <Group gap="sm" wrap="nowrap">
              <Burger
                opened={opened}
                onClick={toggle}
                hiddenFrom="sm"
                size="sm"
                aria-label={t("shell.toggleNavigation")}
              />
              <UnstyledButton component={Link} to="/" aria-label={t("appName")}>
                <Group gap="xs" wrap="nowrap">
                  <ThemeIcon radius="md" variant="filled" aria-hidden>
                    <IconBoxMultiple size={18} />
                  </ThemeIcon>
                  <Text fw={700} size="lg" visibleFrom="xs">
                    {t("appName")}
                  </Text>
                </Group>
              </UnstyledButton>
            </Group>
            <Group gap="xs" wrap="nowrap">
              <NotificationBell />
              <ColorSchemeToggle />
              <UserMenu />
            </Group>
          </Group>
        </AppShell.Header>
        <AppShell.Navbar aria-label={t("shell.toggleNavigation")}>
          {/* More links than a short window's height: the navbar scrolls, the header stays. */}
          <AppShell.Section grow component={ScrollArea} type="auto" p="sm">
            <NavLinks onNavigate={close} />
          </AppShell.Section>
        </AppShell.Navbar>
        <AppShell.Main id="main" tabIndex={-1} className={skipTargetClass} key={path === "/" ? "home" : undefined}>
          <ReconnectingBanner />
          {/* A first visit's page may arrive after the shell: the header and navbar show at once. */}
          <Suspense fallback={<LoadingState minHeight={400} />}>
            {children}
          </Suspense>
        </AppShell.Main>
      </AppShell>
    </RealtimeConnection>
  );
}
