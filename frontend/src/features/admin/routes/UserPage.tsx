import { Anchor, Badge, Group, Paper, SimpleGrid, Stack, Table, Text, Title } from "@mantine/core";
import { type ReactNode, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useLocation, useParams } from "wouter";

import { ApiErrorAlert } from "@/components/ApiErrorAlert";
import { EmptyState } from "@/components/EmptyState";
import { LoadingState } from "@/components/LoadingState";
import { PageHeader } from "@/components/PageHeader";
import { StatusBadge } from "@/components/StatusBadge";
import { useAdminRequests, useAuditTrail, useUser, type UserRead } from "@/features/admin/api/admin";
import { Feedback, type FeedbackState } from "@/features/admin/components/Feedback";
import { UserActions } from "@/features/admin/components/UserActions";
import { statusKey } from "@/features/admin/components/statusKey";
import { formatDateTime } from "@/lib/format";

export function UserPage() {
  const { t } = useTranslation("admin");
  const { id = "" } = useParams();
  const user = useUser(id);
  const [, navigate] = useLocation();
  const [feedback, setFeedback] = useState<FeedbackState>(null);
  if (user.isPending) return <LoadingState />;
  if (user.isError)
    return (
      <>
        <PageHeader title={t("user.title")} />
        <ApiErrorAlert error={user.error} onRetry={() => void user.refetch()} />
      </>
    );
  const who = user.data.name ?? user.data.username;
  return (
    <>
      <PageHeader
        title={who}
        description={
          <Anchor component={Link} to="/admin/users" underline="always">
            {t("user.back")}
          </Anchor>
        }
        actions={
          <UserActions
            user={user.data}
            onResult={setFeedback}
            onDeleted={() => navigate("/admin/users")}
          />
        }
      />
      <Stack gap="lg">
        <Feedback state={feedback} onClose={() => setFeedback(null)} />
        <Profile user={user.data} />
        <UserRequests userId={id} />
        <UserAuditTrail userId={id} />
      </Stack>
    </>
  );
}

function Profile({ user }: { user: UserRead }) {
  const { t } = useTranslation("admin");
  const rows: [string, ReactNode][] = [
    [t("user.email"), user.email ?? "–"],
    [t("user.username"), user.username],
    [t("user.plex"), user.plexUsername ?? "–"],
    [
      t("user.role"),
      <Badge key="role" variant="light" color={user.role === "admin" ? "grape" : "gray"}>
        {t(`role.${user.role}`)}
      </Badge>,
    ],
    [t("user.created"), formatDateTime(user.createdAt)],
    [t("user.lastLogin"), user.lastLoginAt ? formatDateTime(user.lastLoginAt) : t("users.never")],
  ];
  return (
    <Paper withBorder p="md" radius="md">
      <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }}>
        {rows.map(([label, value]) => (
          <div key={label}>
            <Text size="sm" c="dimmed">
              {label}
            </Text>
            <Text component="div">{value}</Text>
          </div>
        ))}
      </SimpleGrid>
    </Paper>
  );
}

function UserRequests({ userId }: { userId: string }) {
  const { t } = useTranslation("admin");
  const requests = useAdminRequests({ userId, page: 1, limit: 10 });
  return (
    <section aria-labelledby="user-requests">
      <Title order={2} size="h3" mb="sm" id="user-requests">
        {t("user.requests")}
      </Title>
      {requests.isPending ? (
        <LoadingState />
      ) : requests.isError ? (
        <ApiErrorAlert error={requests.error} onRetry={() => void requests.refetch()} />
      ) : requests.data.items.length === 0 ? (
        <EmptyState title={t("user.noRequests")} />
      ) : (
        <Stack gap="xs">
          {requests.data.items.map((request) => (
            <Group key={request.id} justify="space-between" wrap="nowrap">
              <Text truncate>{request.title}</Text>
              <StatusBadge status={request.status} label={t(`requestStatus.${statusKey(request.status)}`)} />
            </Group>
          ))}
          <Anchor component={Link} to={`/admin/requests?user=${userId}`} underline="always" size="sm">
            {t("user.allRequests", { count: requests.data.pagination.totalItems })}
          </Anchor>
        </Stack>
      )}
    </section>
  );
}

function UserAuditTrail({ userId }: { userId: string }) {
  const { t } = useTranslation("admin");
  const audit = useAuditTrail({ actorId: userId, page: 1, limit: 20 });
  return (
    <section aria-labelledby="user-audit">
      <Title order={2} size="h3" mb="sm" id="user-audit">
        {t("user.audit")}
      </Title>
      {audit.isPending ? (
        <LoadingState />
      ) : audit.isError ? (
        <ApiErrorAlert error={audit.error} onRetry={() => void audit.refetch()} />
      ) : audit.data.items.length === 0 ? (
        <EmptyState title={t("user.noAudit")} />
      ) : (
        <Table.ScrollContainer minWidth={520}>
          <Table striped verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("user.auditWhen")}</Table.Th>
                <Table.Th>{t("user.auditAction")}</Table.Th>
                <Table.Th>{t("user.auditFrom")}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {audit.data.items.map((entry) => (
                <Table.Tr key={entry.id}>
                  <Table.Td>{formatDateTime(entry.createdAt)}</Table.Td>
                  <Table.Td>
                    <Text size="sm" ff="monospace">
                      {entry.action}
                    </Text>
                  </Table.Td>
                  <Table.Td>{entry.ipAddress ?? "–"}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </section>
  );
}
