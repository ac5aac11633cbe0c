import { Button, Center, Group, Pagination, Select, Stack } from "@mantine/core";
import { IconListCheck } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import { Link } from "wouter";

import { ApiErrorAlert, EmptyState, LoadingState, PageHeader } from "@/components";
import {
  REQUEST_STATUSES,
  requestKeys,
  useRequests,
  type RequestStatus,
} from "@/features/requests/api/requests";
import { RequestCard } from "@/features/requests/components/RequestCard";
import { toStatus } from "@/components";
import { useSearchParams } from "@/lib/routing";
import { useInvalidateOnEvent } from "@/lib/socket/react";

function statusOf(value: string | null): RequestStatus | undefined {
  return REQUEST_STATUSES.find((status) => status === value);
}

/** The signed-in user's requests, filtered by status, page by page; live. */
export function RequestsPage() {
  const { t } = useTranslation("requests");
  const [params, setParams] = useSearchParams();
  const status = statusOf(params.get("status"));
  const page = Math.max(1, Number(params.get("page")) || 1);
  const query = useRequests({ ...(status ? { status } : {}), page });
  useInvalidateOnEvent("request:updated", requestKeys.all);

  const update = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value === null) next.delete(key);
      else next.set(key, value);
    }
    setParams(next);
  };

  const options = [
    { value: "all", label: t("list.allStatuses") },
    ...REQUEST_STATUSES.map((value) => ({ value, label: t(`common:status.${toStatus(value)}`) })),
  ];
  const pagination = query.data?.pagination;

  return (
    <>
      <PageHeader
        title={t("title")}
        description={t("list.subtitle")}
        actions={
          <Select
            label={t("list.status")}
            data={options}
            value={status ?? "all"}
            onChange={(value) => update({ status: value && value !== "all" ? value : null, page: null })}
            allowDeselect={false}
            w={200}
          />
        }
      />
      {query.isPending ? (
        <LoadingState />
      ) : query.isError ? (
        <ApiErrorAlert error={query.error} onRetry={() => void query.refetch()} />
      ) : query.data.items.length === 0 ? (
        <EmptyState
          icon={<IconListCheck size={30} stroke={1.5} />}
          title={status ? t("list.emptyFiltered") : t("list.empty")}
          description={status ? undefined : t("list.emptyHint")}
          action={
            status ? undefined : (
              <Button component={Link} to="/discover" variant="light">
                {t("list.goDiscover")}
              </Button>
            )
          }
        />
      ) : (
        <Stack gap="md">
          <Stack gap="sm" component="ul" m={0} p={0} style={{ listStyle: "none" }} aria-label={t("list.label")}>
            {query.data.items.map((request) => (
              <RequestCard key={request.id} request={request} />
            ))}
          </Stack>
          {pagination && pagination.totalPages > 1 && (
            <Center>
              <Group>
                <Pagination
                  total={pagination.totalPages}
                  value={pagination.page}
                  onChange={(next) => update({ page: String(next) })}
                  getControlProps={(control) => ({
                    "aria-label": t(`list.pageControl.${control}`),
                  })}
                  getItemProps={(number) => ({ "aria-label": t("list.pageNumber", { number }) })}
                />
              </Group>
            </Center>
          )}
        </Stack>
      )}
    </>
  );
}
