import { Avatar, Button, Group, Paper, Stack, Text, Textarea } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useTranslation } from "react-i18next";

import { ApiErrorAlert, LoadingState } from "@/components";
import { useAddComment, useComments, type Comment } from "@/features/requests/api/requests";
import { formatDateTime } from "@/lib/format";
import { useCurrentUser } from "@/lib/session";

const COMMENT_MAX = 2000;

function initials(name: string): string {
  return name
    .split(/\s+/)
    .slice(0, 2)
    .map((part) => part.charAt(0).toUpperCase())
    .join("");
}

function CommentItem({ comment }: { comment: Comment }) {
  const { t, i18n } = useTranslation("requests");
  const me = useCurrentUser();
  const realName = comment.author ? (comment.author.name ?? comment.author.username) : null;
  const name = realName
    ? comment.author?.id === me?.id
      ? t("comments.you")
      : realName
    : t("comments.deletedUser");
  return (
    <Paper withBorder radius="md" p="sm" component="li">
      <Group gap="sm" align="flex-start" wrap="nowrap">
        <Avatar radius="xl" size="md" color="violet" aria-hidden>
          {initials(realName ?? "?")}
        </Avatar>
        <Stack gap={2} style={{ minWidth: 0 }}>
          <Group gap="xs">
            <Text fw={600} size="sm">
              {name}
            </Text>
            <Text size="xs" c="dimmed">
              {formatDateTime(comment.createdAt, i18n.language)}
            </Text>
          </Group>
          <Text size="sm" style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}>
            {comment.body}
          </Text>
        </Stack>
      </Group>
    </Paper>
  );
}

/** The request's comments, oldest first, and a box to add one. */
export function CommentThread({ requestId }: { requestId: string }) {
  const { t } = useTranslation("requests");
  const comments = useComments(requestId);
  const add = useAddComment(requestId);
  const form = useForm({
    initialValues: { body: "" },
    validate: {
      body: (value) =>
        !value.trim()
          ? t("comments.required")
          : value.length > COMMENT_MAX
            ? t("comments.tooLong")
            : null,
    },
  });
  const submit = form.onSubmit(({ body }) =>
    add.mutate(body.trim(), { onSuccess: () => form.reset() }),
  );

  return (
    <Stack gap="sm">
      {comments.isPending ? (
        <LoadingState minHeight={80} />
      ) : comments.isError ? (
        <ApiErrorAlert error={comments.error} onRetry={() => void comments.refetch()} />
      ) : comments.data.length === 0 ? (
        <Text c="dimmed" size="sm">
          {t("comments.empty")}
        </Text>
      ) : (
        <Stack gap="xs" component="ul" m={0} p={0} style={{ listStyle: "none" }}>
          {comments.data.map((comment) => (
            <CommentItem key={comment.id} comment={comment} />
          ))}
        </Stack>
      )}
      <form onSubmit={submit} noValidate>
        <Stack gap="xs">
          <Textarea
            label={t("comments.add")}
            autosize
            minRows={2}
            maxRows={8}
            maxLength={COMMENT_MAX}
            {...form.getInputProps("body")}
          />
          {add.isError && <ApiErrorAlert error={add.error} />}
          <Group justify="flex-end">
            <Button type="submit" loading={add.isPending}>
              {t("comments.send")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Stack>
  );
}
