import { Button, Drawer, Group, Pagination, Paper, Select, SimpleGrid, Stack, Table, Text, TextInput } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { useActors, useAuditLog, type AuditEntry } from "@/features/admin-system/api/audit";
import type { AuditFilter } from "@/features/admin-system/api/keys";
import { JsonBlock } from "@/features/admin-system/components/JsonBlock";
import { ApiErrorAlert } from "@/components/ApiErrorAlert";
import { EmptyState } from "@/components/EmptyState";
import { ListTable } from "@/components/ListTable";
import { LoadingState } from "@/components/LoadingState";
import { PageHeader } from "@/components/PageHeader";
import { formatDateTime } from "@/lib/format";

/** `datetime-local` input (local time) to the API's ISO instant. */
function toInstant(local: string): string | undefined {
  return local ? new Date(local).toISOString() : undefined;
}

function target(entry: AuditEntry): string {
  return [entry.targetType, entry.targetId].filter(Boolean).join(" ");
}

export function AuditLogPage() {
  const { t, i18n } = useTranslation("admin-system");
  const [actorId, setActorId] = useState<string | null>(null);
  const [action, setAction] = useState("");
  const [targetText, setTargetText] = useState("");
  const [since, setSince] = useState("");
  const [until, setUntil] = useState("");
  const [page, setPage] = useState(1);
  const [open, setOpen] = useState<AuditEntry | null>(null);
  const filter: AuditFilter = {
    page,
    ...(actorId ? { actorId } : {}),
    ...(action.trim() ? { action: action.trim() } : {}),
    ...(since ? { since: toInstant(since) } : {}),
    ...(until ? { until: toInstant(until) } : {}),
  };
  const log = useAuditLog(filter);
  const actors = useActors();
  const names = new Map((actors.data?.items ?? []).map((user) => [user.id, user.name ?? user.username]));
  const actorName = (id: string | null) => (id ? (names.get(id) ?? t("audit.unknownActor")) : t("audit.system"));
  const when = (iso: string) => formatDateTime(iso, i18n.language);
  const needle = targetText.trim().toLowerCase();
  const entries = (log.data?.items ?? []).filter((entry) => !needle || target(entry).toLowerCase().includes(needle));
  const change = <T,>(set: (value: T) => void) => (value: T) => {
    set(value);
    setPage(1);
  };
  const clear = () => {
    setActorId(null);
    setAction("");
    setTargetText("");
    setSince("");
    setUntil("");
    setPage(1);
  };

  return (
    <>
      <PageHeader title={t("audit.title")} description={t("audit.description")} />
      <Paper withBorder p="md" radius="md" mb="md" component="form" role="search" aria-label={t("audit.filters")} onSubmit={(event) => event.preventDefault()}>
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 5 }} spacing="sm">
          <Select
            label={t("audit.actor")}
            placeholder={t("audit.anyActor")}
            data={(actors.data?.items ?? []).map((user) => ({ value: user.id, label: user.name ?? user.username }))}
            value={actorId}
            onChange={change(setActorId)}
            clearable
            clearButtonProps={{ "aria-label": t("audit.clearActor") }}
            searchable
          />
          <TextInput label={t("audit.action")} placeholder={t("audit.actionHint")} value={action} onChange={(event) => change(setAction)(event.currentTarget.value)} />
          <TextInput label={t("audit.target")} placeholder={t("audit.targetHint")} value={targetText} onChange={(event) => setTargetText(event.currentTarget.value)} />
          <TextInput type="datetime-local" label={t("audit.since")} value={since} onChange={(event) => change(setSince)(event.currentTarget.value)} />
          <TextInput type="datetime-local" label={t("audit.until")} value={until} onChange={(event) => change(setUntil)(event.currentTarget.value)} />
        </SimpleGrid>
        <Group justify="flex-end" mt="sm">
          <Button variant="subtle" size="xs" onClick={clear}>
            {t("audit.clear")}
          </Button>
        </Group>
      </Paper>
      {log.isPending && <LoadingState />}
      {log.isError && <ApiErrorAlert error={log.error} onRetry={() => void log.refetch()} />}
      {log.data && entries.length === 0 && <EmptyState title={t("audit.empty")} description={t("audit.emptyHint")} />}
      {log.data && entries.length > 0 && (
        <Stack gap="sm">
          <Text size="sm" c="dimmed" aria-live="polite">
            {t(log.data.pagination.totalExact === false ? "audit.totalAbout" : "audit.total", {
              count: log.data.pagination.totalItems,
            })}
          </Text>
          <ListTable
            label={t("audit.title")}
            minWidth={640}
            verticalSpacing="xs"
            columns={[
              { label: t("audit.when") },
              { label: t("audit.fields.action") },
              { label: t("audit.fields.actor") },
              { label: t("audit.fields.target") },
              { label: t("audit.fields.ipAddress") },
            ]}
            items={entries}
            rowKey={(entry) => entry.id}
            renderRow={(entry) => (
              <>
                <Table.Td>
                  <Button
                    variant="subtle"
                    size="compact-sm"
                    onClick={() => setOpen(entry)}
                    aria-label={t("audit.view", { action: entry.action, when: when(entry.createdAt) })}
                  >
                    {when(entry.createdAt)}
                  </Button>
                </Table.Td>
                <Table.Td>
                  <Text size="sm" ff="monospace">
                    {entry.action}
                  </Text>
                </Table.Td>
                <Table.Td>{actorName(entry.actorId)}</Table.Td>
                <Table.Td>{target(entry) || "—"}</Table.Td>
                <Table.Td>{entry.ipAddress ?? "—"}</Table.Td>
              </>
            )}
          />
          {log.data.pagination.totalPages > 1 && (
            <Group justify="center">
              <Pagination
                total={log.data.pagination.totalPages}
                value={page}
                onChange={setPage}
                aria-label={t("audit.pages")}
                siblings={1}
              />
            </Group>
          )}
        </Stack>
      )}
      <Drawer opened={open !== null} onClose={() => setOpen(null)} title={t("audit.entry")} position="right" size="md" closeButtonProps={{ "aria-label": t("audit.close") }}>
        {open && <AuditEntryDetail entry={open} actor={actorName(open.actorId)} when={when(open.createdAt)} />}
      </Drawer>
    </>
  );
}

function AuditEntryDetail({ entry, actor, when }: { entry: AuditEntry; actor: string; when: string }) {
  const { t } = useTranslation("admin-system");
  const rows: [string, string][] = [
    [t("audit.fields.action"), entry.action],
    [t("audit.fields.createdAt"), when],
    [t("audit.fields.actor"), entry.actorId ? `${actor} (${entry.actorId})` : actor],
    [t("audit.fields.target"), target(entry) || "—"],
    [t("audit.fields.ipAddress"), entry.ipAddress ?? "—"],
    [t("audit.fields.userAgent"), entry.userAgent ?? "—"],
    [t("audit.fields.correlationId"), entry.correlationId ?? "—"],
    [t("audit.fields.id"), entry.id],
  ];
  return (
    <Stack gap="sm">
      <Table layout="fixed" withRowBorders={false} fz="sm">
        <Table.Tbody>
          {rows.map(([label, value]) => (
            <Table.Tr key={label}>
              <Table.Th w="35%">{label}</Table.Th>
              <Table.Td style={{ overflowWrap: "anywhere" }}>{value}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Text fw={600} size="sm">
        {t("audit.fields.details")}
      </Text>
      <JsonBlock value={entry.details} />
    </Stack>
  );
}
