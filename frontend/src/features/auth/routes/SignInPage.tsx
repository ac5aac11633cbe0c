import { Anchor, Divider, Stack, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link } from "wouter";

import { PasswordSignInForm } from "@/features/auth/components/PasswordSignInForm";
import { PlexSignInButton } from "@/features/auth/components/PlexSignInButton";
import { usePublicInfo } from "@/lib/public-info";

export function SignInPage() {
  const { t } = useTranslation("auth");
  const info = usePublicInfo().data;
  const methods = info?.signInMethods ?? { password: true, plex: false };
  return (
    <Stack gap="md">
      <Stack gap={4}>
        <Title order={1} size="h3">
          {t("signIn.title")}
        </Title>
        <Text c="dimmed" size="sm">
          {methods.plex ? t("signIn.subtitlePlex") : t("signIn.subtitle")}
        </Text>
      </Stack>
      {methods.plex && <PlexSignInButton />}
      {methods.plex && methods.password && <Divider label={t("signIn.or")} labelPosition="center" />}
      {methods.password && <PasswordSignInForm />}
      {info?.setupDone === false && (
        <Text size="sm" c="dimmed" ta="center">
          {t("signIn.newInstall")}{" "}
          <Anchor component={Link} to="/setup">
            {t("signIn.startSetup")}
          </Anchor>
        </Text>
      )}
    </Stack>
  );
}
