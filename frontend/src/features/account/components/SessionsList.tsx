import { Badge, Button, Group, Paper, Stack, Text, ThemeIcon, Tooltip } from "@mantine/core";
import { IconDeviceDesktop, IconDeviceMobile, IconLogout } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";

import { ApiErrorAlert } from "@/components/ApiErrorAlert";
import { EmptyState } from "@/components/EmptyState";
import { LoadingState } from "@/components/LoadingState";
import { useRevokeSession, useSessions, type SessionRow } from "@/features/account/api/account";
import { describeUserAgent } from "@/features/account/components/userAgent";
import { formatDateTime, formatRelative } from "@/lib/format";

function SessionCard({
  session,
  onRevoke,
  revoking,
}: {
  session: SessionRow;
  onRevoke: () => void;
  revoking: boolean;
}) {
  const { t } = useTranslation("account");
  const device = describeUserAgent(session.userAgent);
  const name =
    device.browser && device.system
      ? t("sessions.device", { browser: device.browser, system: device.system })
      : (device.browser ?? device.system ?? t("sessions.unknownDevice"));
  const Icon = device.mobile ? IconDeviceMobile : IconDeviceDesktop;
  return (
    <Paper component="li" withBorder radius="md" p="sm" aria-label={name}>
      <Group justify="space-between" wrap="wrap" gap="sm">
        <Group gap="sm" wrap="nowrap" style={{ minWidth: 0 }}>
          <ThemeIcon variant="light" size="xl" radius="md" color={session.isCurrent ? "violet" : "gray"} aria-hidden>
            <Icon size={22} />
          </ThemeIcon>
          <Stack gap={2} style={{ minWidth: 0 }}>
            <Group gap="xs">
              <Tooltip label={session.userAgent ?? t("sessions.unknownDevice")} multiline maw={360} withArrow>
                <Text fw={600} size="sm" tabIndex={0}>
                  {name}
                </Text>
              </Tooltip>
              {session.isCurrent && (
                <Badge variant="light" radius="sm">
                  {t("sessions.current")}
                </Badge>
              )}
              {session.isRemembered && (
                <Badge variant="outline" color="gray" radius="sm">
                  {t("sessions.remembered")}
                </Badge>
              )}
            </Group>
            <Text size="xs" c="dimmed">
              {t("sessions.details", {
                ip: session.ipAddress ?? t("sessions.unknownIp"),
                lastUsed: formatRelative(session.lastUsedAt),
              })}
            </Text>
            <Text size="xs" c="dimmed">
              {t("sessions.started", { when: formatDateTime(session.createdAt) })}
            </Text>
          </Stack>
        </Group>
        {!session.isCurrent && (
          <Button
            variant="light"
            color="red"
            size="xs"
            leftSection={<IconLogout size={14} />}
            onClick={onRevoke}
            loading={revoking}
            aria-label={t("sessions.revokeLabel", { name })}
          >
            {t("sessions.revoke")}
          </Button>
        )}
      </Group>
    </Paper>
  );
}

/** The user's signed-in devices; any but this one can be signed out. */
export function SessionsList() {
  const { t } = useTranslation("account");
  const query = useSessions();
  const revoke = useRevokeSession();
  if (query.isPending) return <LoadingState />;
  if (query.isError) return <ApiErrorAlert error={query.error} onRetry={() => void query.refetch()} />;
  const sessions = query.data.items;
  if (sessions.length === 0) return <EmptyState title={t("sessions.emptyTitle")} />;
  const others = sessions.filter((session) => !session.isCurrent);
  const revokeOthers = () => {
    for (const session of others) revoke.mutate(session.id);
  };
  return (
    <Stack gap="sm" maw={720}>
      <Group justify="space-between" wrap="wrap">
        <Text size="sm" c="dimmed">
          {t("sessions.intro")}
        </Text>
        {others.length > 0 && (
          <Button variant="subtle" color="red" size="xs" onClick={revokeOthers} loading={revoke.isPending}>
            {t("sessions.revokeOthers", { count: others.length })}
          </Button>
        )}
      </Group>
      {revoke.isError && <ApiErrorAlert error={revoke.error} />}
      <Stack component="ul" gap="xs" p={0} m={0} style={{ listStyle: "none" }}>
        {sessions.map((session) => (
          <SessionCard
            key={session.id}
            session={session}
            onRevoke={() => revoke.mutate(session.id)}
            revoking={revoke.isPending && revoke.variables === session.id}
          />
        ))}
      </Stack>
    </Stack>
  );
}
