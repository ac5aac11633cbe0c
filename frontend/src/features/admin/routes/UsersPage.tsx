import { Anchor, Badge, Button, Group, Select, Stack, Table, Text, TextInput } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { IconSearch, IconUserPlus } from "@tabler/icons-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "wouter";

import { PageHeader } from "@/components/PageHeader";
import { type Role, type UserSort, useUsers } from "@/features/admin/api/admin";
import { AddUserModal } from "@/features/admin/components/AddUserModal";
import { Feedback, type FeedbackState } from "@/features/admin/components/Feedback";
import { PagedTable } from "@/features/admin/components/PagedTable";
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
        <PagedTable
          query={users}
          columns={[
            { label: t("users.columns.user") },
            { label: t("users.columns.role") },
            { label: t("users.columns.lastLogin") },
            { label: t("users.columns.created") },
            { label: t("users.columns.actions"), hidden: true },
          ]}
          minWidth={640}
          empty={{ title: t("users.empty"), description: t("users.emptyHint") }}
          rowKey={(user) => user.id}
          renderRow={(user) => (
            <>
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
            </>
          )}
          page={page}
          onPageChange={setPage}
        />
      </Stack>
      <AddUserModal
        opened={adding}
        onClose={() => setAdding(false)}
        onCreated={(message) => setFeedback({ kind: "success", message })}
      />
    </>
  );
}
