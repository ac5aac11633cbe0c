import { Alert, Badge, Button, Group, Paper, Select, SimpleGrid, Stack, Table, Text, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconAlertTriangle } from "@tabler/icons-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import {
  useClearCache,
  useDatabaseFigures,
  useRecommendations,
  useRouteMetrics,
} from "@/features/admin-system/api/diagnostics";
import { ScrollTable } from "@/features/admin-system/components/ScrollTable";
import { JsonBlock } from "@/features/admin-system/components/JsonBlock";
import { formatNumber } from "@/features/admin-system/components/numbers";
import { ApiErrorAlert } from "@/components/ApiErrorAlert";
import { EmptyState } from "@/components/EmptyState";
import { LoadingState } from "@/components/LoadingState";
import { PageHeader } from "@/components/PageHeader";
import { formatDateTime } from "@/lib/format";

const WINDOWS = ["5m", "1h", "24h"] as const;
const SEVERITY_COLORS = { info: "blue", warning: "yellow", critical: "red" } as const;

export function PerformancePage() {
  const { t } = useTranslation("admin-system");
  const clearCache = useClearCache();
  const clear = () =>
    clearCache.mutate(undefined, {
      onSuccess: (result) =>
        notifications.show({
          color: "green",
          closeButtonProps: { "aria-label": t("close") },
          message:
            result.cacheEntriesRemoved === null
              ? t("performance.cacheClearedNoCount")
              : t("performance.cacheCleared", { count: result.cacheEntriesRemoved }),
        }),
    });
  return (
    <>
      <PageHeader
        title={t("performance.title")}
        description={t("performance.description")}
        actions={
          <Button variant="default" onClick={clear} loading={clearCache.isPending}>
            {t("performance.clearCache")}
          </Button>
        }
      />
      <Stack gap="xl">
        {clearCache.isError && <ApiErrorAlert error={clearCache.error} />}
        <Recommendations />
        <Routes />
        <Database />
      </Stack>
    </>
  );
}

function Section({ title, children, actions }: { title: string; children: React.ReactNode; actions?: React.ReactNode }) {
  return (
    <Stack gap="sm" component="section">
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <Title order={2} size="h3">
          {title}
        </Title>
        {actions}
      </Group>
      {children}
    </Stack>
  );
}

function Recommendations() {
  const { t } = useTranslation("admin-system");
  const recommendations = useRecommendations();
  return (
    <Section title={t("performance.recommendations")}>
      {recommendations.isPending && <LoadingState minHeight={80} />}
      {recommendations.isError && <ApiErrorAlert error={recommendations.error} onRetry={() => void recommendations.refetch()} />}
      {recommendations.data?.length === 0 && (
        <Text c="dimmed" size="sm">
          {t("performance.recommendationsEmpty")}
        </Text>
      )}
      {recommendations.data?.map((item, index) => (
        <Alert key={`${item.kind}-${String(index)}`} color={SEVERITY_COLORS[item.severity]} variant="default" icon={<IconAlertTriangle aria-hidden color={`var(--mantine-color-${SEVERITY_COLORS[item.severity]}-6)`} />} title={`${t(`performance.severity.${item.severity}`)} · ${item.kind}`}>
          <Stack gap="xs">
            <Text size="sm">{item.message}</Text>
            <JsonBlock value={item.evidence} />
          </Stack>
        </Alert>
      ))}
    </Section>
  );
}

function Routes() {
  const { t } = useTranslation("admin-system");
  const [window, setWindow] = useState<string>("1h");
  const metrics = useRouteMetrics(window);
  const ms = (value: number) => formatNumber(value);
  return (
    <Section
      title={t("performance.routes")}
      actions={
        <Select
          label={t("performance.window")}
          data={WINDOWS.map((value) => ({ value, label: t(`performance.windows.${value}`) }))}
          value={window}
          onChange={(value) => setWindow(value ?? "1h")}
          allowDeselect={false}
          w={200}
        />
      }
    >
      {metrics.isPending && <LoadingState minHeight={120} />}
      {metrics.isError && <ApiErrorAlert error={metrics.error} onRetry={() => void metrics.refetch()} />}
      {metrics.data && (
        <Text size="sm" c="dimmed">
          {t("performance.totals", {
            count: metrics.data.totals.count,
            rate: formatNumber(metrics.data.totals.requestsPerSecond, 2),
            errors: metrics.data.totals.errorCount,
          })}
        </Text>
      )}
      {metrics.data?.routes.length === 0 && <EmptyState title={t("performance.routesEmpty")} />}
      {metrics.data && metrics.data.routes.length > 0 && (
        <ScrollTable label={t("performance.routes")} minWidth={720}>
          <Table striped verticalSpacing="xs" fz="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("performance.method")}</Table.Th>
                <Table.Th>{t("performance.route")}</Table.Th>
                <Table.Th ta="right">{t("performance.count")}</Table.Th>
                <Table.Th ta="right">{t("performance.errorCount")}</Table.Th>
                <Table.Th ta="right">{t("performance.p50")}</Table.Th>
                <Table.Th ta="right">{t("performance.p95")}</Table.Th>
                <Table.Th ta="right">{t("performance.p99")}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {metrics.data.routes.map((route) => (
                <Table.Tr key={`${route.method} ${route.route}`}>
                  <Table.Td>{route.method}</Table.Td>
                  <Table.Td ff="monospace" style={{ overflowWrap: "anywhere" }}>
                    {route.route}
                  </Table.Td>
                  <Table.Td ta="right">{route.count}</Table.Td>
                  <Table.Td ta="right">
                    {route.errorCount > 0 ? (
                      <Badge color="red" variant="dot" size="sm">
                        {route.errorCount}
                      </Badge>
                    ) : (
                      0
                    )}
                  </Table.Td>
                  <Table.Td ta="right">{ms(route.p50Ms)}</Table.Td>
                  <Table.Td ta="right">{ms(route.p95Ms)}</Table.Td>
                  <Table.Td ta="right">{ms(route.p99Ms)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollTable>
      )}
    </Section>
  );
}

function Database() {
  const { t, i18n } = useTranslation("admin-system");
  const database = useDatabaseFigures();
  return (
    <Section title={t("performance.database")}>
      {database.isPending && <LoadingState minHeight={120} />}
      {database.isError && <ApiErrorAlert error={database.error} onRetry={() => void database.refetch()} />}
      {database.data && (
        <Stack gap="md">
          <SimpleGrid cols={{ base: 2, sm: 3, lg: 6 }} spacing="sm">
            <Figure label={t("performance.dialect")} value={database.data.dialect} />
            <Figure label={t("performance.statements")} value={String(database.data.statements.count)} />
            <Figure label={t("performance.statementErrors")} value={String(database.data.statements.errors)} />
            <Figure label={t("performance.avg")} value={`${formatNumber(database.data.statements.avgMs, 2)} ms`} />
            <Figure
              label={t("performance.slowCount", { ms: database.data.statements.slowThresholdMs })}
              value={String(database.data.statements.slowCount)}
            />
            <Figure
              label={t("performance.pool")}
              value={
                database.data.pool.checkedOut === null
                  ? database.data.pool.kind
                  : `${String(database.data.pool.checkedOut)} / ${String(database.data.pool.capacity ?? "—")}`
              }
            />
          </SimpleGrid>
          <Title order={3} size="h4">
            {t("performance.slowQueries")}
          </Title>
          {database.data.slowQueries.length === 0 ? (
            <Text size="sm" c="dimmed">
              {t("performance.slowEmpty")}
            </Text>
          ) : (
            <ScrollTable label={t("performance.slowQueries")} minWidth={640}>
              <Table striped verticalSpacing="xs" fz="sm">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t("performance.sql")}</Table.Th>
                    <Table.Th ta="right">{t("performance.count")}</Table.Th>
                    <Table.Th ta="right">{t("performance.max")}</Table.Th>
                    <Table.Th ta="right">{t("performance.avg")}</Table.Th>
                    <Table.Th>{t("performance.lastSeen")}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {database.data.slowQueries.map((query) => (
                    <Table.Tr key={query.sql}>
                      <Table.Td ff="monospace" style={{ overflowWrap: "anywhere" }}>
                        {query.sql}
                      </Table.Td>
                      <Table.Td ta="right">{query.count}</Table.Td>
                      <Table.Td ta="right">{formatNumber(query.maxMs)} ms</Table.Td>
                      <Table.Td ta="right">{formatNumber(query.avgMs)} ms</Table.Td>
                      <Table.Td>{formatDateTime(query.lastSeen, i18n.language)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </ScrollTable>
          )}
        </Stack>
      )}
    </Section>
  );
}

function Figure({ label, value }: { label: string; value: string }) {
  return (
    <Paper withBorder p="sm" radius="md">
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={600} style={{ overflowWrap: "anywhere" }}>
        {value}
      </Text>
    </Paper>
  );
}
