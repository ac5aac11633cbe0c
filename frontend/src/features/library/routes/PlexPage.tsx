import { Card, Group, SimpleGrid, Stack, Text, ThemeIcon, Title } from "@mantine/core";
import { IconDeviceTv, IconMovie, IconMusic, IconPhoto } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import { Link } from "wouter";

import { EmptyState } from "@/components/EmptyState";
import { LoadingState } from "@/components/LoadingState";
import { PageHeader } from "@/components/PageHeader";
import { useLibraries, useRecentlyAdded, type PlexLibrary } from "@/features/library/api/plex";
import { ItemDetailModal } from "@/features/library/components/ItemDetailModal";
import { PlexPosterGrid } from "@/features/library/components/PlexPosterGrid";
import { PlexSearchForm } from "@/features/library/components/PlexSearchForm";
import { PlexUnavailable } from "@/features/library/components/PlexUnavailable";
import { useItemParam } from "@/features/library/components/useItemParam";

const LIBRARY_ICONS = { movie: IconMovie, show: IconDeviceTv, artist: IconMusic, photo: IconPhoto };

export function PlexPage() {
  const { t } = useTranslation("library");
  const libraries = useLibraries();
  return (
    <>
      <PageHeader
        title={t("title")}
        description={t("overview.descriptionNoServer")}
        actions={<PlexSearchForm />}
      />
      {libraries.isPending ? (
        <LoadingState />
      ) : libraries.isError ? (
        <PlexUnavailable error={libraries.error} onRetry={() => void libraries.refetch()} />
      ) : (
        <Stack gap="xl">
          <section aria-labelledby="plex-libraries">
            <Title order={2} size="h3" id="plex-libraries" mb="sm">
              {t("overview.libraries")}
            </Title>
            {libraries.data.libraries.length === 0 ? (
              <EmptyState title={t("overview.noLibraries")} />
            ) : (
              <LibraryCards libraries={libraries.data.libraries} />
            )}
          </section>
          <RecentlyAdded />
        </Stack>
      )}
    </>
  );
}

function LibraryCards({ libraries }: { libraries: PlexLibrary[] }) {
  const { t } = useTranslation("library");
  return (
    <SimpleGrid cols={{ base: 1, xs: 2, md: 3, lg: 4 }} spacing="md">
      {libraries.map((library) => {
        const Icon = LIBRARY_ICONS[library.type as keyof typeof LIBRARY_ICONS] ?? IconMovie;
        return (
          <Card
            key={library.key}
            component={Link}
            to={`/plex/libraries/${library.key}`}
            withBorder
            radius="md"
            padding="md"
          >
            <Group wrap="nowrap">
              <ThemeIcon size={44} radius="md" variant="light" aria-hidden>
                <Icon size={24} stroke={1.6} />
              </ThemeIcon>
              <Stack gap={0}>
                <Text fw={600}>{library.title}</Text>
                <Text size="sm" c="dimmed">
                  {t(`library.type.${library.type}`, { defaultValue: library.type })} ·{" "}
                  {t("library.count", { count: library.count })}
                </Text>
              </Stack>
            </Group>
          </Card>
        );
      })}
    </SimpleGrid>
  );
}

function RecentlyAdded() {
  const { t } = useTranslation("library");
  const recent = useRecentlyAdded();
  const { search, selected, close } = useItemParam(recent.data?.items);
  return (
    <section aria-labelledby="plex-recent">
      <Title order={2} size="h3" id="plex-recent" mb="sm">
        {t("overview.recentlyAdded")}
      </Title>
      {recent.isPending ? (
        <LoadingState />
      ) : recent.isError ? (
        <PlexUnavailable error={recent.error} onRetry={() => void recent.refetch()} />
      ) : recent.data.items.length === 0 ? (
        <EmptyState title={t("overview.noRecent")} />
      ) : (
        <PlexPosterGrid
          items={recent.data.items}
          search={search}
          label={t("overview.recentlyAdded")}
        />
      )}
      <ItemDetailModal item={selected} onClose={close} />
    </section>
  );
}
