import { Button, Group, Modal, Paper, Stack, Text, Textarea } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useTranslation } from "react-i18next";

import { ApiErrorAlert } from "@/components/ApiErrorAlert";
import { EmptyState } from "@/components/EmptyState";
import { LoadingState } from "@/components/LoadingState";
import {
  type MediaRequestRead,
  useAddComment,
  useComments,
  useDeclineRequest,
} from "@/features/admin/api/admin";
import { formatDateTime } from "@/lib/format";

/** Declining needs a reason: the requester reads it. */
export function DeclineDialog({
  request,
  onClose,
  onDone,
}: {
  request: MediaRequestRead | null;
  onClose: () => void;
  onDone: (title: string) => void;
}) {
  const { t } = useTranslation("admin");
  const decline = useDeclineRequest();
  const form = useForm({
    initialValues: { reason: "" },
    validate: { reason: (value) => (value.trim() ? null : t("requests.reasonRequired")) },
  });
  const close = () => {
    form.reset();
    decline.reset();
    onClose();
  };
  return (
    <Modal closeButtonProps={{ "aria-label": t("close") }} opened={request !== null} onClose={close} title={t("requests.declineTitle", { title: request?.title })}>
      <form
        noValidate
        onSubmit={form.onSubmit(({ reason }) => {
          if (!request) return;
          decline.mutate(
            { id: request.id, reason: reason.trim() },
            {
              onSuccess: () => {
                onDone(request.title);
                close();
              },
            },
          );
        })}
      >
        <Stack>
          <Textarea
            label={t("requests.reason")}
            description={t("requests.reasonHint")}
            required
            autosize
            minRows={3}
            maxLength={1000}
            data-autofocus
            {...form.getInputProps("reason")}
          />
          {decline.isError && <ApiErrorAlert error={decline.error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t("cancel")}
            </Button>
            <Button type="submit" color="red" loading={decline.isPending}>
              {t("requests.decline")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** A request's comments and a box to add one. */
export function CommentsDialog({ request, onClose }: { request: MediaRequestRead | null; onClose: () => void }) {
  const { t } = useTranslation("admin");
  return (
    <Modal closeButtonProps={{ "aria-label": t("close") }} opened={request !== null} onClose={onClose} title={t("requests.commentsTitle", { title: request?.title })}>
      {request && <Comments requestId={request.id} />}
    </Modal>
  );
}

function Comments({ requestId }: { requestId: string }) {
  const { t } = useTranslation("admin");
  const comments = useComments(requestId);
  const add = useAddComment(requestId);
  const form = useForm({
    initialValues: { body: "" },
    validate: { body: (value) => (value.trim() ? null : t("requests.commentRequired")) },
  });
  return (
    <Stack>
      {comments.isPending ? (
        <LoadingState minHeight={80} />
      ) : comments.isError ? (
        <ApiErrorAlert error={comments.error} onRetry={() => void comments.refetch()} />
      ) : comments.data.length === 0 ? (
        <EmptyState title={t("requests.noComments")} />
      ) : (
        comments.data.map((comment) => (
          <Paper key={comment.id} withBorder p="sm" radius="md">
            <Text size="xs" c="dimmed">
              {comment.author ? (comment.author.name ?? comment.author.username) : t("requests.deletedUser")} · {formatDateTime(comment.createdAt)}
            </Text>
            <Text size="sm">{comment.body}</Text>
          </Paper>
        ))
      )}
      <form
        noValidate
        onSubmit={form.onSubmit(({ body }) =>
          add.mutate(body.trim(), { onSuccess: () => form.reset() }),
        )}
      >
        <Stack gap="xs">
          <Textarea label={t("requests.comment")} required autosize minRows={2} maxLength={2000} {...form.getInputProps("body")} />
          {add.isError && <ApiErrorAlert error={add.error} />}
          <Group justify="flex-end">
            <Button type="submit" loading={add.isPending}>
              {t("requests.addComment")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Stack>
  );
}
