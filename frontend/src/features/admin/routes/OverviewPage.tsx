import "@mantine/charts/styles.css";

import { BarChart } from "@mantine/charts";
import { Group, Paper, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";

import { ApiErrorAlert } from "@/components/ApiErrorAlert";
import { EmptyState } from "@/components/EmptyState";
import { LoadingState } from "@/components/LoadingState";
import { PageHeader } from "@/components/PageHeader";
import { StatusBadge } from "@/components/StatusBadge";
import { useAdminStats, useServiceStatus } from "@/features/admin/api/admin";
import { StatCard } from "@/features/admin/components/StatCard";
import { formatBytes, formatDuration } from "@/lib/format";
import { useInvalidateOnEvent } from "@/lib/socket/react";
import { adminKeys } from "@/features/admin/api/admin";

const REQUEST_STATUSES = [
  "pending",
  "approved",
  "processing",
  "partiallyAvailable",
  "available",
  "declined",
  "failed",
] as const;
const DOWNLOAD_STATUSES = ["queued", "running", "completed", "failed", "cancelled"] as const;

export function OverviewPage() {
  const { t } = useTranslation("admin");
  useInvalidateOnEvent("request:updated", adminKeys.stats(), "/admin");
  useInvalidateOnEvent("service:status", adminKeys.services(), "/admin");
  return (
    <>
      <PageHeader title={t("overview.title")} description={t("overview.description")} />
      <Stack gap="xl">
        <StatsSection />
        <ServicesSection />
      </Stack>
    </>
  );
}

function StatsSection() {
  const { t, i18n } = useTranslation("admin");
  const stats = useAdminStats();
  if (stats.isPending) return <LoadingState />;
  if (stats.isError) return <ApiErrorAlert error={stats.error} onRetry={() => void stats.refetch()} />;
  const { users, requests, downloads, system } = stats.data;
  const requestData = REQUEST_STATUSES.map((status) => ({
    status: t(`requestStatus.${status}`),
    count: requests[status],
  }));
  const downloadData = DOWNLOAD_STATUSES.map((status) => ({
    status: t(`downloadStatus.${status}`),
    count: downloads[status],
  }));
  return (
    <Stack gap="lg">
      <SimpleGrid cols={{ base: 2, sm: 3, lg: 6 }}>
        <StatCard label={t("overview.usersTotal")} value={users.total} />
        <StatCard label={t("overview.usersActive")} value={users.active} />
        <StatCard label={t("overview.admins")} value={users.admins} />
        <StatCard label={t("overview.uptime")} value={formatDuration(system.uptimeSeconds)} />
        <StatCard label={t("overview.memory")} value={formatBytes(system.memoryBytes, i18n.language)} />
        <StatCard label={t("overview.cpu")} value={system.cpu} />
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <ChartCard
          title={t("overview.requestsByStatus", { count: requests.total })}
          data={requestData}
          color="blue.6"
          label={t("overview.requests")}
        />
        <ChartCard
          title={t("overview.downloadsByStatus", { count: downloads.total })}
          data={downloadData}
          color="teal.6"
          label={t("overview.downloads")}
        />
      </SimpleGrid>
    </Stack>
  );
}

function ChartCard({
  title,
  data,
  color,
  label,
}: {
  title: string;
  data: { status: string; count: number }[];
  color: string;
  label: string;
}) {
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-label={title}>
      <Title order={2} size="h4" mb="sm">
        {title}
      </Title>
      <BarChart
        h={260}
        data={data}
        dataKey="status"
        orientation="vertical"
        series={[{ name: "count", label, color }]}
        tickLine="x"
        // Counts: whole numbers only on the value axis (recharts would tick 0.5 for a count of 1).
        xAxisProps={{ allowDecimals: false }}
        yAxisProps={{ width: 120, interval: 0 }}
        withTooltip
      />
      {/* The same figures as text, for screen readers and copy-paste. */}
      <Group gap="xs" mt="xs" wrap="wrap">
        {data.map((row) => (
          <Text key={row.status} size="xs" c="dimmed">
            {row.status}: {row.count}
          </Text>
        ))}
      </Group>
    </Paper>
  );
}

function ServicesSection() {
  const { t } = useTranslation("admin");
  const services = useServiceStatus();
  return (
    <section aria-labelledby="admin-services-heading">
      <Title order={2} size="h3" mb="sm" id="admin-services-heading">
        {t("overview.services")}
      </Title>
      {services.isPending ? (
        <LoadingState />
      ) : services.isError ? (
        <ApiErrorAlert error={services.error} onRetry={() => void services.refetch()} />
      ) : services.data.length === 0 ? (
        <EmptyState title={t("overview.noServices")} />
      ) : (
        <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }}>
          {services.data.map((service) => (
            <Paper key={service.name} withBorder p="md" radius="md">
              <Group justify="space-between" mb="xs">
                <Text fw={600}>{t(`service.${service.name}`, { defaultValue: service.name })}</Text>
                <StatusBadge
                  status={service.status ?? "unknown"}
                  label={t(`serviceState.${service.status ?? "unchecked"}`)}
                />
              </Group>
              <Text size="sm" c="dimmed">
                {service.responseMs == null
                  ? t("overview.noResponse")
                  : t("overview.responseMs", { ms: Math.round(service.responseMs) })}
              </Text>
              <Text size="sm" c="dimmed">
                {t("overview.uptimeWindows", {
                  day: service.uptime["24h"] == null ? "–" : `${service.uptime["24h"].toFixed(1)}%`,
                  week: service.uptime["7d"] == null ? "–" : `${service.uptime["7d"].toFixed(1)}%`,
                })}
              </Text>
            </Paper>
          ))}
        </SimpleGrid>
      )}
    </section>
  );
}
