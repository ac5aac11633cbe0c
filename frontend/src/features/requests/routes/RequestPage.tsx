import {
  Alert,
  Anchor,
  AspectRatio,
  Button,
  Center,
  Grid,
  Group,
  Image,
  Modal,
  Paper,
  Stack,
  Text,
  Title,
} from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { notifications } from "@mantine/notifications";
import { IconArrowLeft, IconInfoCircle, IconMovie, IconTrash } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import { Link, useLocation, useParams } from "wouter";

import { ApiErrorAlert, LoadingState, PageHeader, StatusBadge } from "@/components";
import {
  requestKeys,
  useCancelRequest,
  useRequest,
  type MediaRequestDetail,
} from "@/features/requests/api/requests";
import { CommentThread } from "@/features/requests/components/CommentThread";
import { StatusTimeline } from "@/features/requests/components/StatusTimeline";
import { seasonsLabel } from "@/features/requests/components/seasons";
import { formatDateTime } from "@/lib/format";
import { useInvalidateOnEvent } from "@/lib/socket/react";

function CancelButton({ request }: { request: MediaRequestDetail }) {
  const { t } = useTranslation("requests");
  const [opened, { open, close }] = useDisclosure(false);
  const cancel = useCancelRequest();
  const [, navigate] = useLocation();
  const confirm = () =>
    cancel.mutate(request.id, {
      onSuccess: () => {
        notifications.show({
          color: "green",
          message: t("cancel.done", { title: request.title }),
          closeButtonProps: { "aria-label": t("common:actions.close") },
        });
        navigate("/requests");
      },
    });
  return (
    <>
      <Button color="red" variant="light" leftSection={<IconTrash size={16} aria-hidden />} onClick={open}>
        {t("cancel.button")}
      </Button>
      <Modal
        opened={opened}
        onClose={close}
        title={t("cancel.title")}
        closeButtonProps={{ "aria-label": t("common:actions.close") }}
      >
        <Stack gap="md">
          <Text size="sm">{t("cancel.body", { title: request.title })}</Text>
          {cancel.isError && <ApiErrorAlert error={cancel.error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t("cancel.keep")}
            </Button>
            {/* red.9: white text on Mantine's default red is below AA contrast. */}
            <Button color="red.9" onClick={confirm} loading={cancel.isPending}>
              {t("cancel.confirm")}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}

function RequestDetails({ request }: { request: MediaRequestDetail }) {
  const { t, i18n } = useTranslation("requests");
  const facts = [
    t(`type.${request.mediaType}`),
    request.mediaType === "tv" ? seasonsLabel(request.seasons, t) : null,
  ].filter(Boolean);
  return (
    <>
      <PageHeader
        title={request.title}
        description={facts.join(" · ")}
        actions={request.status === "pending" ? <CancelButton request={request} /> : undefined}
      />
      <Grid gap="xl">
        <Grid.Col span={{ base: 12, sm: 4, md: 3 }}>
          <Stack gap="sm" maw={{ base: 180, sm: "none" }}>
            <Paper withBorder radius="md" style={{ overflow: "hidden" }}>
              <AspectRatio ratio={2 / 3}>
                {request.posterUrl ? (
                  <Image src={request.posterUrl} alt="" fit="cover" />
                ) : (
                  <Center bg="var(--mantine-color-default-hover)" aria-hidden>
                    <IconMovie size={40} stroke={1.2} />
                  </Center>
                )}
              </AspectRatio>
            </Paper>
            <Anchor component={Link} to={`/discover/${request.mediaType}/${request.tmdbId}`} size="sm">
              {t("detail.viewTitle")}
            </Anchor>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 8, md: 9 }}>
          <Stack gap="lg">
            <Group gap="sm">
              <Text fw={600}>{t("detail.status")}</Text>
              <span data-testid="request-status">
                <StatusBadge status={request.status} />
              </span>
              <Text size="sm" c="dimmed">
                {t("detail.since", { when: formatDateTime(request.statusChangedAt, i18n.language) })}
              </Text>
            </Group>
            {request.status === "declined" && (
              <Alert color="red" variant="light" icon={<IconInfoCircle aria-hidden />} title={t("detail.declined")}>
                {request.declineReason ?? t("detail.noReason")}
              </Alert>
            )}
            <Stack gap="xs" component="section" aria-labelledby="history-heading">
              <Title order={2} size="h4" id="history-heading">
                {t("detail.history")}
              </Title>
              <StatusTimeline history={request.history} />
            </Stack>
            <Stack gap="xs" component="section" aria-labelledby="comments-heading">
              <Title order={2} size="h4" id="comments-heading">
                {t("detail.comments")}
              </Title>
              <CommentThread requestId={request.id} />
            </Stack>
          </Stack>
        </Grid.Col>
      </Grid>
    </>
  );
}

/** One request: status and its history, the decline reason, comments; cancel while pending. */
export function RequestPage() {
  const { t } = useTranslation("requests");
  const id = useParams().id ?? "";
  const query = useRequest(id);
  useInvalidateOnEvent("request:updated", requestKeys.all);
  const back = (
    <Anchor component={Link} to="/requests" size="sm" mb="sm" display="inline-flex" style={{ alignItems: "center", gap: 4 }}>
      <IconArrowLeft size={14} aria-hidden />
      {t("detail.back")}
    </Anchor>
  );
  if (query.isPending) return <>{back}<LoadingState /></>;
  if (query.isError) {
    return (
      <>
        {back}
        <PageHeader title={t("detail.title")} />
        <ApiErrorAlert error={query.error} onRetry={() => void query.refetch()} />
      </>
    );
  }
  return (
    <>
      {back}
      <RequestDetails request={query.data} />
    </>
  );
}
