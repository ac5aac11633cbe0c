import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Checkbox,
  Code,
  CopyButton,
  Group,
  Modal,
  Paper,
  Select,
  Stack,
  Text,
  TextInput,
  Tooltip,
} from "@mantine/core";
import { useForm } from "@mantine/form";
import { IconCheck, IconCopy, IconKey, IconTrash } from "@tabler/icons-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { ApiErrorAlert } from "@/components/ApiErrorAlert";
import { EmptyState } from "@/components/EmptyState";
import { LoadingState } from "@/components/LoadingState";
import {
  useApiKeys,
  useCreateApiKey,
  useRevokeApiKey,
  type ApiKey,
  type ApiKeyScope,
} from "@/features/account/api/account";
import { formatDateTime } from "@/lib/format";
import { useCurrentUser } from "@/lib/session";

const EXPIRY_DAYS = ["never", "30", "90", "365"] as const;

function expiresAt(choice: string): string | null {
  if (choice === "never") return null;
  return new Date(Date.now() + Number(choice) * 86_400_000).toISOString();
}

/** The key just created: shown this once, with a copy button. */
function CreatedKey({ apiKey, onDone }: { apiKey: string; onDone: () => void }) {
  const { t } = useTranslation("account");
  return (
    <Alert color="green" variant="light" title={t("apiKeys.createdTitle")} icon={<IconKey aria-hidden />}>
      <Stack gap="xs">
        <Text size="sm">{t("apiKeys.createdBody")}</Text>
        <Group gap="xs" wrap="nowrap">
          <Code block style={{ flex: 1, overflowWrap: "anywhere", whiteSpace: "pre-wrap" }} aria-label={t("apiKeys.keyLabel")}>
            {apiKey}
          </Code>
          <CopyButton value={apiKey}>
            {({ copied, copy }) => (
              <Tooltip label={copied ? t("apiKeys.copied") : t("apiKeys.copy")} withArrow>
                <ActionIcon
                  variant="light"
                  color={copied ? "green" : "gray"}
                  size="lg"
                  onClick={copy}
                  aria-label={copied ? t("apiKeys.copied") : t("apiKeys.copy")}
                >
                  {copied ? <IconCheck size={18} /> : <IconCopy size={18} />}
                </ActionIcon>
              </Tooltip>
            )}
          </CopyButton>
        </Group>
        <Group>
          <Button size="xs" variant="light" color="green" onClick={onDone}>
            {t("apiKeys.stored")}
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}

function CreateKeyForm({ onCreated }: { onCreated: (key: string) => void }) {
  const { t } = useTranslation("account");
  const user = useCurrentUser();
  const create = useCreateApiKey();
  const scopes: ApiKeyScope[] = user?.role === "admin" ? ["read", "write", "admin"] : ["read", "write"];
  const form = useForm({
    initialValues: { name: "", scopes: ["read"] as string[], expiry: "90" },
    validate: {
      name: (value) => (value.trim() ? null : t("apiKeys.nameRequired")),
      scopes: (value) => (value.length ? null : t("apiKeys.scopesRequired")),
    },
  });
  const submit = form.onSubmit((values) =>
    create.mutate(
      {
        name: values.name.trim(),
        scopes: values.scopes as ApiKeyScope[],
        expiresAt: expiresAt(values.expiry),
      },
      {
        onSuccess: (created) => {
          form.reset();
          onCreated(created.key);
        },
      },
    ),
  );
  return (
    <Paper withBorder radius="md" p="md" component="form" onSubmit={submit} noValidate aria-label={t("apiKeys.createTitle")}>
      <Stack gap="sm">
        <Text fw={600}>{t("apiKeys.createTitle")}</Text>
        {create.isError && <ApiErrorAlert error={create.error} title={t("apiKeys.createFailed")} />}
        <Group align="flex-start" grow wrap="wrap">
          <TextInput
            label={t("apiKeys.name")}
            placeholder={t("apiKeys.namePlaceholder")}
            required
            miw={200}
            {...form.getInputProps("name")}
          />
          <Select
            label={t("apiKeys.expiry")}
            data={EXPIRY_DAYS.map((value) => ({ value, label: t(`apiKeys.expiryOptions.${value}`) }))}
            allowDeselect={false}
            miw={160}
            {...form.getInputProps("expiry")}
          />
        </Group>
        <Checkbox.Group label={t("apiKeys.scopes")} required {...form.getInputProps("scopes")}>
          <Group mt={6} gap="lg">
            {scopes.map((scope) => (
              <Checkbox
                key={scope}
                value={scope}
                label={t(`apiKeys.scopeNames.${scope}`)}
                description={t(`apiKeys.scopeHints.${scope}`)}
              />
            ))}
          </Group>
        </Checkbox.Group>
        <Group>
          <Button type="submit" loading={create.isPending} leftSection={<IconKey size={16} />}>
            {t("apiKeys.create")}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}

function KeyRow({ apiKey, onRevoke }: { apiKey: ApiKey; onRevoke: () => void }) {
  const { t } = useTranslation("account");
  return (
    <Paper component="li" withBorder radius="md" p="sm" aria-label={apiKey.name}>
      <Group justify="space-between" wrap="nowrap" gap="sm">
        <Stack gap={4} style={{ minWidth: 0 }}>
          <Group gap="xs">
            <Text fw={600} size="sm">
              {apiKey.name}
            </Text>
            <Code>{apiKey.prefix}…</Code>
            {apiKey.scopes.map((scope) => (
              <Badge key={scope} variant="light" color={scope === "admin" ? "red" : "gray"} radius="sm">
                {t(`apiKeys.scopeNames.${scope}`)}
              </Badge>
            ))}
          </Group>
          <Text size="xs" c="dimmed">
            {t("apiKeys.created", { when: formatDateTime(apiKey.createdAt) })} ·{" "}
            {apiKey.lastUsedAt
              ? t("apiKeys.lastUsed", { when: formatDateTime(apiKey.lastUsedAt) })
              : t("apiKeys.neverUsed")}{" "}
            ·{" "}
            {apiKey.expiresAt
              ? t("apiKeys.expires", { when: formatDateTime(apiKey.expiresAt) })
              : t("apiKeys.noExpiry")}
          </Text>
        </Stack>
        <Tooltip label={t("apiKeys.revoke")} withArrow>
          <ActionIcon
            variant="subtle"
            color="red"
            onClick={onRevoke}
            aria-label={t("apiKeys.revokeLabel", { name: apiKey.name })}
          >
            <IconTrash size={18} />
          </ActionIcon>
        </Tooltip>
      </Group>
    </Paper>
  );
}

/** API keys for scripts: create (shown once), list, revoke. */
export function ApiKeysPanel() {
  const { t } = useTranslation("account");
  const query = useApiKeys();
  const revoke = useRevokeApiKey();
  const [created, setCreated] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<ApiKey | null>(null);
  let list;
  if (query.isPending) list = <LoadingState />;
  else if (query.isError) list = <ApiErrorAlert error={query.error} onRetry={() => void query.refetch()} />;
  else if (query.data.items.length === 0)
    list = <EmptyState title={t("apiKeys.emptyTitle")} description={t("apiKeys.emptyBody")} icon={<IconKey size={30} stroke={1.5} />} />;
  else
    list = (
      <Stack component="ul" gap="xs" p={0} m={0} style={{ listStyle: "none" }} aria-label={t("apiKeys.listLabel")}>
        {query.data.items.map((apiKey) => (
          <KeyRow key={apiKey.id} apiKey={apiKey} onRevoke={() => setConfirming(apiKey)} />
        ))}
      </Stack>
    );
  return (
    <Stack gap="md" maw={720}>
      <Text size="sm" c="dimmed">
        {t("apiKeys.intro")}
      </Text>
      {created ? (
        <CreatedKey apiKey={created} onDone={() => setCreated(null)} />
      ) : (
        <CreateKeyForm onCreated={setCreated} />
      )}
      {revoke.isError && <ApiErrorAlert error={revoke.error} />}
      {list}
      <Modal
        opened={confirming !== null}
        onClose={() => setConfirming(null)}
        title={t("apiKeys.confirmTitle")}
        centered
      >
        <Stack gap="md">
          <Text size="sm">{t("apiKeys.confirmBody", { name: confirming?.name ?? "" })}</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirming(null)}>
              {t("apiKeys.keep")}
            </Button>
            <Button
              color="red"
              loading={revoke.isPending}
              onClick={() => {
                if (confirming)
                  revoke.mutate(confirming.id, { onSettled: () => setConfirming(null) });
              }}
            >
              {t("apiKeys.revoke")}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
