import {
  Anchor,
  AspectRatio,
  Badge,
  Box,
  Button,
  Center,
  Grid,
  Group,
  Image,
  Paper,
  Stack,
  Text,
  Title,
} from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { IconMovie, IconPlus } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "wouter";

import { ApiErrorAlert, LoadingState, PageHeader, StatusBadge } from "@/components";
import {
  discoverKeys,
  useMediaDetails,
  type MediaDetails,
  type MediaType,
} from "@/features/discover/api/discover";
import { AvailabilityBadge } from "@/features/discover/components/AvailabilityBadge";
import {
  canRequest,
  isPartlyCovered,
  seasonChoices,
} from "@/features/discover/components/availability";
import { RequestDialog } from "@/features/discover/components/RequestDialog";
import { SeasonList } from "@/features/discover/components/SeasonList";
import { useInvalidateOnEvent } from "@/lib/socket/react";

function Poster({ url }: { url: string | null }) {
  return (
    <Paper radius="md" withBorder style={{ overflow: "hidden" }} shadow="md">
      <AspectRatio ratio={2 / 3}>
        {url ? (
          <Image src={url} alt="" fit="cover" />
        ) : (
          <Center bg="var(--mantine-color-default-hover)" aria-hidden>
            <IconMovie size={48} stroke={1.2} />
          </Center>
        )}
      </AspectRatio>
    </Paper>
  );
}

function Backdrop({ url }: { url: string | null }) {
  if (!url) return null;
  return (
    <Box
      pos="relative"
      mb="lg"
      style={{ borderRadius: "var(--mantine-radius-lg)", overflow: "hidden" }}
      aria-hidden
    >
      <Image src={url} alt="" h={{ base: 160, sm: 280 }} fit="cover" />
      <Box
        pos="absolute"
        inset={0}
        style={{
          background:
            "linear-gradient(180deg, transparent 40%, var(--mantine-color-body) 100%)",
        }}
      />
    </Box>
  );
}

function Details({ media }: { media: MediaDetails }) {
  const { t } = useTranslation("discover");
  const [opened, { open, close }] = useDisclosure(false);
  const choices = seasonChoices(
    media.seasons ?? [],
    media.availability.myRequest?.seasons,
    media.availability.myRequest != null,
  );
  const requestable = canRequest(media.mediaType, media.availability, choices);
  const facts = [
    media.year ? String(media.year) : null,
    t(`type.${media.mediaType}`),
    media.runtimeMinutes ? t("details.runtime", { minutes: media.runtimeMinutes }) : null,
  ].filter(Boolean);
  const mine = media.availability.myRequest;
  return (
    <>
      <Backdrop url={media.backdropUrl} />
      <Grid gap="xl">
        <Grid.Col span={{ base: 5, xs: 4, md: 3 }}>
          <Poster url={media.posterUrl} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, xs: 8, md: 9 }}>
          <Stack gap="md">
            <PageHeader
              title={media.title}
              description={facts.join(" · ")}
              actions={
                requestable ? (
                  <Button leftSection={<IconPlus size={18} aria-hidden />} onClick={open}>
                    {isPartlyCovered(media.mediaType, media.availability, choices)
                      ? t("details.requestMore")
                      : t("details.request")}
                  </Button>
                ) : undefined
              }
            />
            <Group gap="xs">
              <AvailabilityBadge availability={media.availability} size="lg" />
              {media.genres.map((genre) => (
                <Badge key={genre} variant="outline" color="gray" radius="sm">
                  {genre}
                </Badge>
              ))}
            </Group>
            {mine && (
              <Group gap="xs">
                <Text size="sm">{t("details.yourRequest")}</Text>
                <StatusBadge status={mine.status} />
                <Anchor component={Link} to={`/requests/${mine.id}`} size="sm">
                  {t("details.viewRequest")}
                </Anchor>
              </Group>
            )}
            <Stack gap={4}>
              <Title order={2} size="h4">
                {t("details.overview")}
              </Title>
              <Text>{media.overview || t("details.noOverview")}</Text>
            </Stack>
          </Stack>
        </Grid.Col>
      </Grid>
      {media.seasons && media.seasons.length > 0 && (
        <Stack gap="xs" mt="xl">
          <Title order={2} size="h4">
            {t("details.seasons")}
          </Title>
          <SeasonList seasons={media.seasons} />
        </Stack>
      )}
      {opened && (
        <RequestDialog media={media} choices={choices} opened={opened} onClose={close} />
      )}
    </>
  );
}

/** A film or show: backdrop, poster, overview, seasons, and the request button. */
export function MediaPage({ mediaType }: { mediaType: MediaType }) {
  const { t } = useTranslation("discover");
  const tmdbId = Number(useParams().tmdbId);
  const valid = Number.isInteger(tmdbId) && tmdbId > 0;
  const query = useMediaDetails(mediaType, valid ? tmdbId : 0);
  useInvalidateOnEvent("request:updated", discoverKeys.all);
  if (!valid) return <PageHeader title={t("details.notFound")} />;
  if (query.isPending) return <LoadingState />;
  if (query.isError) {
    return (
      <>
        <PageHeader title={t("details.title")} />
        <ApiErrorAlert error={query.error} onRetry={() => void query.refetch()} />
      </>
    );
  }
  return <Details media={query.data} />;
}

export function MoviePage() {
  return <MediaPage mediaType="movie" />;
}

export function ShowPage() {
  return <MediaPage mediaType="tv" />;
}
