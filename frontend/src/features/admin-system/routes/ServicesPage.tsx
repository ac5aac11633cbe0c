import { Badge, Button, Card, Code, Collapse, Group, SimpleGrid, Stack, Table, Text, Title } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { IconChevronDown } from "@tabler/icons-react";
import { useQueryClient } from "@tanstack/react-query";
import { lazy, Suspense, useId, type ReactNode } from "react";
import { useTranslation } from "react-i18next";

import { systemKeys } from "@/features/admin-system/api/keys";
import { useServices, type AdminService } from "@/features/admin-system/api/services";
import { formatNumber, formatPercent } from "@/features/admin-system/components/numbers";
import { ApiErrorAlert } from "@/components/ApiErrorAlert";
import { EmptyState } from "@/components/EmptyState";
import { LoadingState } from "@/components/LoadingState";
import { PageHeader } from "@/components/PageHeader";
import { formatRelative } from "@/lib/format";
import { useRealtimeEvent } from "@/lib/socket/react";

const ServiceHistoryChart = lazy(() =>
  import("@/features/admin-system/components/ServiceHistoryChart").then((m) => ({ default: m.ServiceHistoryChart })),
);

export function ServicesPage() {
  const { t } = useTranslation("admin-system");
  const services = useServices();
  const queryClient = useQueryClient();
  useRealtimeEvent(
    "service:status",
    () => void queryClient.invalidateQueries({ queryKey: systemKeys.services() }),
    "/system",
  );
  return (
    <>
      <PageHeader
        title={t("services.title")}
        description={services.data ? t("services.description", { seconds: services.data.checkIntervalSeconds }) : undefined}
      />
      {services.isPending && <LoadingState />}
      {services.isError && <ApiErrorAlert error={services.error} onRetry={() => void services.refetch()} />}
      {services.data?.services.length === 0 && (
        <EmptyState title={t("services.empty")} description={t("services.emptyHint")} />
      )}
      {services.data && services.data.services.length > 0 && (
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
          {services.data.services.map((service) => (
            <ServiceCard key={service.name} service={service} />
          ))}
        </SimpleGrid>
      )}
    </>
  );
}

function ServiceCard({ service }: { service: AdminService }) {
  const { t, i18n } = useTranslation("admin-system");
  const label = t(`services.names.${service.name}`, { defaultValue: service.name });
  const details = Object.entries(service.details);
  return (
    <Card withBorder radius="md" padding="md" component="article" aria-label={label}>
      <Stack gap="sm">
        <Group justify="space-between" wrap="nowrap">
          <Title order={2} size="h4">
            {label}
          </Title>
          <StateBadge status={service.status} />
        </Group>
        {service.message && (
          <Text size="sm" style={{ overflowWrap: "anywhere" }}>
            {service.message}
          </Text>
        )}
        <SimpleGrid cols={3} spacing="xs">
          <Figure label={t("services.response")} value={service.responseMs === null ? "—" : t("services.ms", { value: formatNumber(service.responseMs) })} />
          <Figure label={t("services.uptime24h")} value={formatPercent(service.uptime["24h"])} />
          <Figure label={t("services.uptime7d")} value={formatPercent(service.uptime["7d"])} />
        </SimpleGrid>
        {service.lastCheckedAt && (
          <Text size="xs" c="dimmed">
            {t("services.lastChecked", { when: formatRelative(service.lastCheckedAt, new Date(), i18n.language) })}
          </Text>
        )}
        <Suspense fallback={<LoadingState minHeight={120} />}>
          <ServiceHistoryChart name={service.name} label={label} />
        </Suspense>
        {details.length > 0 && (
          <Details label={t("services.details")}>
            <Table fz="xs" withRowBorders={false} layout="fixed">
              <Table.Tbody>
                {details.map(([key, value]) => (
                  <Table.Tr key={key}>
                    <Table.Th w="40%">{key}</Table.Th>
                    <Table.Td>
                      <Code style={{ overflowWrap: "anywhere", whiteSpace: "pre-wrap" }}>
                        {typeof value === "string" ? value : JSON.stringify(value)}
                      </Code>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Details>
        )}
      </Stack>
    </Card>
  );
}

function Figure({ label, value }: { label: string; value: string }) {
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={600}>{value}</Text>
    </Stack>
  );
}

function Details({ label, children }: { label: string; children: ReactNode }) {
  const [opened, { toggle }] = useDisclosure(false);
  const id = useId();
  return (
    <div>
      <Button
        variant="subtle"
        size="compact-sm"
        onClick={toggle}
        aria-expanded={opened}
        aria-controls={id}
        rightSection={<IconChevronDown size={14} aria-hidden style={{ transform: opened ? "rotate(180deg)" : undefined }} />}
      >
        {label}
      </Button>
      <Collapse expanded={opened} id={id}>
        {children}
      </Collapse>
    </div>
  );
}

const STATE_COLORS: Record<string, string> = { up: "green", degraded: "orange", down: "red", not_configured: "gray" };

/** A service's state: a coloured dot and a word (dark text, so light mode keeps contrast). */
function StateBadge({ status }: { status: AdminService["status"] }) {
  const { t } = useTranslation("admin-system");
  const { t: common } = useTranslation();
  const label =
    status === null
      ? t("services.notChecked")
      : status === "not_configured"
        ? t("services.notConfigured")
        : common(`status.${status}`);
  return (
    <Badge variant="dot" color={status ? (STATE_COLORS[status] ?? "gray") : "gray"} radius="sm" size="lg" tt="none">
      {label}
    </Badge>
  );
}
