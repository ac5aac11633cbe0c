import { Accordion, Badge, Group, Pagination, SegmentedControl, Stack, Table, Text } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { useRecentErrors, type ErrorReport } from "@/features/admin-system/api/diagnostics";
import { JsonBlock } from "@/features/admin-system/components/JsonBlock";
import { ApiErrorAlert } from "@/components/ApiErrorAlert";
import { EmptyState } from "@/components/EmptyState";
import { LoadingState } from "@/components/LoadingState";
import { PageHeader } from "@/components/PageHeader";
import { formatDateTime } from "@/lib/format";

type Source = "all" | "client" | "server";

function contextText(report: ErrorReport, key: string): string | null {
  const value = report.context[key];
  return typeof value === "string" && value ? value : null;
}

export function ErrorsPage() {
  const { t } = useTranslation("admin-system");
  const [source, setSource] = useState<Source>("all");
  const [page, setPage] = useState(1);
  const errors = useRecentErrors({ page, ...(source === "all" ? {} : { source }) });
  const pages = errors.data?.pagination.totalPages ?? 0;
  return (
    <>
      <PageHeader
        title={t("errors.title")}
        description={t("errors.description")}
        actions={
          <SegmentedControl
            aria-label={t("errors.source")}
            value={source}
            onChange={(value) => {
              setSource(value);
              setPage(1);
            }}
            data={[
              { value: "all", label: t("errors.all") },
              { value: "client", label: t("errors.client") },
              { value: "server", label: t("errors.server") },
            ]}
          />
        }
      />
      {errors.isPending && <LoadingState />}
      {errors.isError && <ApiErrorAlert error={errors.error} onRetry={() => void errors.refetch()} />}
      {errors.data?.items.length === 0 && <EmptyState title={t("errors.empty")} description={t("errors.emptyHint")} />}
      {errors.data && errors.data.items.length > 0 && (
        <Stack gap="md">
          <Accordion variant="separated" chevronPosition="left">
            {errors.data.items.map((report) => (
              <ErrorItem key={report.id} report={report} />
            ))}
          </Accordion>
          {pages > 1 && (
            <Group justify="center">
              <Pagination total={pages} value={page} onChange={setPage} aria-label={t("errors.pages")} siblings={1} />
            </Group>
          )}
        </Stack>
      )}
    </>
  );
}

function ErrorItem({ report }: { report: ErrorReport }) {
  const { t, i18n } = useTranslation("admin-system");
  const route = contextText(report, "route");
  const method = contextText(report, "method");
  const exceptionType = contextText(report, "exceptionType");
  const rows: [string, string | null][] = [
    [t("errors.route"), route ? `${method ?? ""} ${route}`.trim() : null],
    [t("errors.url"), report.url],
    [t("errors.exceptionType"), exceptionType],
    [t("errors.code"), report.errorCode],
    [t("errors.correlationId"), report.correlationId],
  ];
  return (
    <Accordion.Item value={report.id}>
      <Accordion.Control>
        <Stack gap={4}>
          <Group gap="xs" wrap="wrap">
            <Badge size="sm" variant="dot" color={report.source === "server" ? "red" : "orange"} radius="sm" tt="none">
              {t(`errors.${report.source}`)}
            </Badge>
            <Text size="xs" c="dimmed">
              {formatDateTime(report.createdAt, i18n.language)}
            </Text>
            {report.correlationId && (
              <Text size="xs" c="dimmed" ff="monospace">
                {report.correlationId}
              </Text>
            )}
          </Group>
          <Text size="sm" fw={500} lineClamp={2} style={{ overflowWrap: "anywhere" }}>
            {report.message}
          </Text>
        </Stack>
      </Accordion.Control>
      <Accordion.Panel>
        <Stack gap="sm">
          <Table layout="fixed" withRowBorders={false} fz="sm">
            <Table.Tbody>
              {rows
                .filter(([, value]) => value)
                .map(([label, value]) => (
                  <Table.Tr key={label}>
                    <Table.Th w="30%">{label}</Table.Th>
                    <Table.Td style={{ overflowWrap: "anywhere" }}>{value}</Table.Td>
                  </Table.Tr>
                ))}
            </Table.Tbody>
          </Table>
          <Text size="sm" fw={600}>
            {t("errors.traceback")}
          </Text>
          {report.stackTrace ? (
            <JsonBlockText text={report.stackTrace} />
          ) : (
            <Text size="sm" c="dimmed">
              {t("errors.noTraceback")}
            </Text>
          )}
          <Text size="sm" fw={600}>
            {t("errors.context")}
          </Text>
          <JsonBlock value={report.context} />
        </Stack>
      </Accordion.Panel>
    </Accordion.Item>
  );
}

function JsonBlockText({ text }: { text: string }) {
  return (
    <Text component="pre" size="xs" ff="monospace" style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere", maxHeight: 320, overflowY: "auto" }} tabIndex={0}>
      {text}
    </Text>
  );
}
