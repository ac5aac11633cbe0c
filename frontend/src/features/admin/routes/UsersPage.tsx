import { Anchor, Badge, Button, Group, Select, Stack, Table, Text, TextInput, VisuallyHidden } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { IconSearch, IconUserPlus } from "@tabler/icons-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";

import { ApiErrorAlert } from "@/components/ApiErrorAlert";
import { EmptyState } from "@/components/EmptyState";
import { LoadingState } from "@/components/LoadingState";
import { PageHeader } from "@/components/PageHeader";
import { type Role, type UserSort, useUsers } from "@/features/admin/api/admin";
import { AddUserModal } from "@/features/admin/components/AddUserModal";
import { Feedback, type FeedbackState } from "@/features/admin/components/Feedback";
import { Paging } from "@/features/admin/components/Paging";
import { UserActions } from "@/features/admin/components/UserActions";
import { formatDateTime } from "@/lib/format";

const SORTS: UserSort[] = [
  "createdAt:desc",
  "createdAt:asc",
  "email:asc",
  "email:desc",
  "username:asc",
  "lastLoginAt:desc",
];
const PAGE_SIZE = 20;

export function UsersPage() {
  const { t } = useTranslation("admin");
  const [search, setSearch] = useState("");
  const [debouncedSearch] = useDebouncedValue(search, 300);
  const [role, setRole] = useState<Role | null>(null);
  const [sort, setSort] = useState<UserSort>("createdAt:desc");
  const [page, setPage] = useState(1);
  const [adding, setAdding] = useState(false);
  const [feedback, setFeedback] = useState<FeedbackState>(null);
  const users = useUsers({
    search: debouncedSearch || undefined,
    role: role ?? undefined,
    sort,
    page,
    limit: PAGE_SIZE,
  });

  return (
    <>
      <PageHeader
        title={t("users.title")}
        description={t("users.description")}
        actions={
          <Button leftSection={<IconUserPlus size={16} aria-hidden />} onClick={() => setAdding(true)}>
            {t("users.add")}
          </Button>
        }
      />
      <Stack>
        <Feedback state={feedback} onClose={() => setFeedback(null)} />
        <Group gap="sm" align="flex-end" wrap="wrap">
          <TextInput
            label={t("users.search")}
            placeholder={t("users.searchPlaceholder")}
            leftSection={<IconSearch size={16} aria-hidden />}
            value={search}
            onChange={(event) => {
              setSearch(event.currentTarget.value);
              setPage(1);
            }}
            miw={220}
            style={{ flexGrow: 1 }}
          />
          <Select
            label={t("users.role")}
            placeholder={t("users.anyRole")}
            data={[
              { value: "admin", label: t("role.admin") },
              { value: "user", label: t("role.user") },
            ]}
            value={role}
            onChange={(value) => {
              setRole(value);
              setPage(1);
            }}
            clearable
            w={160}
          />
          <Select
            label={t("users.sort")}
            data={SORTS.map((value) => ({ value, label: t(`users.sorts.${value.replace(":", "_")}`) }))}
            value={sort}
            onChange={(value) => value && setSort(value)}
            allowDeselect={false}
            w={200}
          />
        </Group>
        {users.isPending ? (
          <LoadingState />
        ) : users.isError ? (
          <ApiErrorAlert error={users.error} onRetry={() => void users.refetch()} />
        ) : users.data.items.length === 0 ? (
          <EmptyState title={t("users.empty")} description={t("users.emptyHint")} />
        ) : (
          <>
            <Table.ScrollContainer minWidth={640}>
              <Table striped highlightOnHover verticalSpacing="sm">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t("users.columns.user")}</Table.Th>
                    <Table.Th>{t("users.columns.role")}</Table.Th>
                    <Table.Th>{t("users.columns.lastLogin")}</Table.Th>
                    <Table.Th>{t("users.columns.created")}</Table.Th>
                    <Table.Th>
                      <VisuallyHidden>{t("users.columns.actions")}</VisuallyHidden>
                    </Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {users.data.items.map((user) => (
                    <Table.Tr key={user.id}>
                      <Table.Td>
                        <Anchor component={Link} to={`/admin/users/${user.id}`} fw={600} c="bright" underline="always">
                          {user.name ?? user.username}
                        </Anchor>
                        <Text size="sm" c="dimmed">
                          {user.email ?? user.plexUsername}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Badge variant="light" color={user.role === "admin" ? "grape" : "gray"}>
                          {t(`role.${user.role}`)}
                        </Badge>
                      </Table.Td>
                      <Table.Td>{user.lastLoginAt ? formatDateTime(user.lastLoginAt) : t("users.never")}</Table.Td>
                      <Table.Td>{formatDateTime(user.createdAt)}</Table.Td>
                      <Table.Td>
                        <UserActions user={user} onResult={setFeedback} />
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <Paging
              page={page}
              totalPages={users.data.pagination.totalPages}
              totalItems={users.data.pagination.totalItems}
              onChange={setPage}
            />
          </>
        )}
      </Stack>
      <AddUserModal
        opened={adding}
        onClose={() => setAdding(false)}
        onCreated={(message) => setFeedback({ kind: "success", message })}
      />
    </>
  );
}
