import { Button, Group, Select, Stack, Table, Text } from "@mantine/core";
import { IconCheck, IconMessage, IconRefresh, IconX } from "@tabler/icons-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { PageHeader } from "@/components/PageHeader";
import { StatusBadge } from "@/components/StatusBadge";
import {
  adminKeys,
  type MediaRequestRead,
  type MediaType,
  type RequestStatus,
  useAdminRequests,
  useApproveRequest,
  useReconcile,
  useUsers,
} from "@/features/admin/api/admin";
import { Feedback, type FeedbackState } from "@/features/admin/components/Feedback";
import { PagedTable } from "@/features/admin/components/PagedTable";
import { CommentsDialog, DeclineDialog } from "@/features/admin/components/RequestDialogs";
import { statusKey } from "@/features/admin/components/statusKey";
import { formatDateTime } from "@/lib/format";
import { useSearchParams } from "@/lib/routing";
import { useInvalidateOnEvent } from "@/lib/socket/react";

const STATUSES: RequestStatus[] = [
  "pending",
  "approved",
  "processing",
  "partially_available",
  "available",
  "declined",
  "failed",
];
const PAGE_SIZE = 20;

export function RequestsPage() {
  const { t } = useTranslation("admin");
  const [params, setParams] = useSearchParams();
  const status = (params.get("status") as RequestStatus | null) ?? undefined;
  const mediaType = (params.get("type") as MediaType | null) ?? undefined;
  const userId = params.get("user") ?? undefined;
  const page = Number(params.get("page") ?? "1") || 1;
  const requests = useAdminRequests({ status, mediaType, userId, page, limit: PAGE_SIZE });
  const people = useUsers({ page: 1, limit: 100, sort: "username:asc" });
  const approve = useApproveRequest();
  const reconcile = useReconcile();
  const [declining, setDeclining] = useState<MediaRequestRead | null>(null);
  const [commenting, setCommenting] = useState<MediaRequestRead | null>(null);
  const [feedback, setFeedback] = useState<FeedbackState>(null);
  useInvalidateOnEvent("request:updated", adminKeys.requests(), "/admin");

  const setFilter = (key: string, value: string | null) =>
    setParams((current) => {
      const next = new URLSearchParams(current);
      if (value) next.set(key, value);
      else next.delete(key);
      if (key !== "page") next.delete("page");
      return next;
    });

  const approveRequest = (request: MediaRequestRead) =>
    approve.mutate(request.id, {
      onSuccess: () => setFeedback({ kind: "success", message: t("requests.approved", { title: request.title }) }),
      onError: (error) => setFeedback({ kind: "error", error }),
    });
  const reconcileNow = () =>
    reconcile.mutate(undefined, {
      onSuccess: (data) => setFeedback({ kind: "success", message: t("requests.reconciled", { count: data.updated }) }),
      onError: (error) => setFeedback({ kind: "error", error }),
    });

  return (
    <>
      <PageHeader
        title={t("requests.title")}
        description={t("requests.description")}
        actions={
          <Button
            variant="light"
            leftSection={<IconRefresh size={16} aria-hidden />}
            loading={reconcile.isPending}
            onClick={reconcileNow}
          >
            {t("requests.reconcile")}
          </Button>
        }
      />
      <Stack>
        <Feedback state={feedback} onClose={() => setFeedback(null)} />
        <Group gap="sm" wrap="wrap">
          <Select
            label={t("requests.status")}
            placeholder={t("requests.anyStatus")}
            data={STATUSES.map((value) => ({ value, label: t(`requestStatus.${statusKey(value)}`) }))}
            value={status ?? null}
            onChange={(value) => setFilter("status", value)}
            clearable
            w={190}
          />
          <Select
            label={t("requests.type")}
            placeholder={t("requests.anyType")}
            data={[
              { value: "movie", label: t("mediaType.movie") },
              { value: "tv", label: t("mediaType.tv") },
            ]}
            value={mediaType ?? null}
            onChange={(value) => setFilter("type", value)}
            clearable
            w={160}
          />
          <Select
            label={t("requests.user")}
            placeholder={t("requests.anyUser")}
            data={(people.data?.items ?? []).map((user) => ({ value: user.id, label: user.name ?? user.username }))}
            value={userId ?? null}
            onChange={(value) => setFilter("user", value)}
            searchable
            clearable
            w={220}
          />
        </Group>
        <PagedTable
          query={requests}
          columns={[
            { label: t("requests.columns.title") },
            { label: t("requests.columns.requester") },
            { label: t("requests.columns.status") },
            { label: t("requests.columns.requested") },
            { label: t("requests.columns.actions"), hidden: true },
          ]}
          minWidth={760}
          empty={{ title: t("requests.empty"), description: t("requests.emptyHint") }}
          rowKey={(request) => request.id}
          renderRow={(request) => (
            <>
              <Table.Td>
                <Text fw={600}>{request.title}</Text>
                <Text size="sm" c="dimmed">
                  {t(`mediaType.${request.mediaType}`)}
                </Text>
              </Table.Td>
              <Table.Td>{request.requestedBy.name ?? request.requestedBy.username}</Table.Td>
              <Table.Td>
                <StatusBadge status={request.status} label={t(`requestStatus.${statusKey(request.status)}`)} />
                {request.declineReason && (
                  <Text size="xs" c="dimmed" mt={4}>
                    {request.declineReason}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>{formatDateTime(request.createdAt)}</Table.Td>
              <Table.Td>
                <Group gap="xs" wrap="nowrap" justify="flex-end">
                  {request.status === "pending" && (
                    <>
                      <Button
                        size="xs"
                        color="green"
                        variant="light"
                        leftSection={<IconCheck size={14} aria-hidden />}
                        loading={approve.isPending && approve.variables === request.id}
                        onClick={() => approveRequest(request)}
                        aria-label={t("requests.approveLabel", { title: request.title })}
                      >
                        {t("requests.approve")}
                      </Button>
                      <Button
                        size="xs"
                        color="red"
                        variant="light"
                        leftSection={<IconX size={14} aria-hidden />}
                        onClick={() => setDeclining(request)}
                        aria-label={t("requests.declineLabel", { title: request.title })}
                      >
                        {t("requests.decline")}
                      </Button>
                    </>
                  )}
                  <Button
                    size="xs"
                    variant="subtle"
                    leftSection={<IconMessage size={14} aria-hidden />}
                    onClick={() => setCommenting(request)}
                    aria-label={t("requests.commentLabel", { title: request.title })}
                  >
                    {t("requests.comments")}
                  </Button>
                </Group>
              </Table.Td>
            </>
          )}
          page={page}
          onPageChange={(next) => setFilter("page", String(next))}
        />
      </Stack>
      <DeclineDialog
        request={declining}
        onClose={() => setDeclining(null)}
        onDone={(title) => setFeedback({ kind: "success", message: t("requests.declined", { title }) })}
      />
      <CommentsDialog request={commenting} onClose={() => setCommenting(null)} />
    </>
  );
}
