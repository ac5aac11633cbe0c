import { Badge, Box, Group, Stack, Text, Tooltip } from "@mantine/core";
import { useTranslation } from "react-i18next";

import { ApiErrorAlert } from "@/components/ApiErrorAlert";
import { LoadingState } from "@/components/LoadingState";
import { useServiceStatuses, type ServiceStatus } from "@/features/home/api/home";
import { SectionCard } from "@/features/home/components/SectionCard";
import { formatDateTime, formatRelative } from "@/lib/format";

const COLORS = { up: "green", degraded: "orange", down: "red", not_configured: "gray" } as const;

function stateKey(status: ServiceStatus["status"]): keyof typeof COLORS | "unchecked" {
  return status ?? "unchecked";
}

/** Whether the services MediaNest depends on are up; updated live by `service:status`. */
export function ServiceStatusCard() {
  const { t } = useTranslation("home");
  const query = useServiceStatuses();
  let body;
  if (query.isPending) body = <LoadingState minHeight={120} />;
  else if (query.isError)
    body = <ApiErrorAlert error={query.error} onRetry={() => void query.refetch()} />;
  else if (query.data.length === 0) body = <Text c="dimmed">{t("services.empty")}</Text>;
  else {
    const problems = query.data.filter((s) => s.status === "down" || s.status === "degraded");
    body = (
      <Stack gap="xs">
        <Text size="sm" c={problems.length ? "orange" : "dimmed"} role="status" aria-live="polite">
          {problems.length ? t("services.problems", { count: problems.length }) : t("services.allUp")}
        </Text>
        <Stack component="ul" gap={6} p={0} m={0} style={{ listStyle: "none" }}>
          {query.data.map((service) => {
            const key = stateKey(service.status);
            const color = key === "unchecked" ? "gray" : COLORS[key];
            return (
              <Group component="li" key={service.name} justify="space-between" wrap="nowrap" gap="xs">
                <Group gap="xs" wrap="nowrap" style={{ minWidth: 0 }}>
                  <Box
                    w={10}
                    h={10}
                    bg={`var(--mantine-color-${color}-6)`}
                    style={{ borderRadius: "50%", flexShrink: 0 }}
                    aria-hidden
                  />
                  <Text size="sm" truncate>
                    {t(`services.names.${service.name}`, { defaultValue: service.name })}
                  </Text>
                </Group>
                <Tooltip
                  label={
                    service.lastCheckedAt
                      ? t("services.checked", { when: formatRelative(service.lastCheckedAt) })
                      : t("services.neverChecked")
                  }
                  withArrow
                  disabled={!service.lastCheckedAt}
                >
                  <Badge
                    color={color}
                    variant="light"
                    radius="sm"
                    title={service.lastCheckedAt ? formatDateTime(service.lastCheckedAt) : undefined}
                  >
                    {t(`services.states.${key}`)}
                  </Badge>
                </Tooltip>
              </Group>
            );
          })}
        </Stack>
      </Stack>
    );
  }
  return <SectionCard title={t("services.title")}>{body}</SectionCard>;
}
