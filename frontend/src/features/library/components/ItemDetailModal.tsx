import {
  AspectRatio,
  BackgroundImage,
  Badge,
  Button,
  Center,
  Grid,
  Group,
  Image,
  Modal,
  Stack,
  Text,
  VisuallyHidden,
} from "@mantine/core";
import { IconMovie, IconStarFilled } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import { Link } from "wouter";

import type { PlexItem } from "@/features/library/api/plex";
import { formatRuntime } from "@/features/library/components/itemText";
import { formatDateTime } from "@/lib/format";

/** An item's details over the grid it was picked from (the API has no item endpoint:
 * the grid's data is the item's). */
export function ItemDetailModal({ item, onClose }: { item: PlexItem | null; onClose: () => void }) {
  const { t, i18n } = useTranslation("library");
  return (
    <Modal
      opened={item !== null}
      onClose={onClose}
      title={item?.title}
      size="xl"
      centered
      closeButtonProps={{ "aria-label": t("common:actions.close") }}
      styles={{ title: { fontWeight: 700, fontSize: "var(--mantine-font-size-xl)" } }}
    >
      {item && <ItemDetails item={item} locale={i18n.language} />}
    </Modal>
  );
}

function ItemDetails({ item, locale }: { item: PlexItem; locale: string }) {
  const { t } = useTranslation("library");
  const facts = [
    item.year ? String(item.year) : null,
    t(`item.type.${item.type}`, { defaultValue: item.type }),
    item.durationMs ? formatRuntime(item.durationMs, locale) : null,
    item.childCount && item.type === "show" ? t("item.seasons", { count: item.childCount }) : null,
    item.leafCount && item.type === "show" ? t("item.episodes", { count: item.leafCount }) : null,
  ].filter((fact): fact is string => fact !== null);
  return (
    <Stack gap="md">
      {item.artUrl && (
        <AspectRatio ratio={16 / 9} visibleFrom="sm">
          <BackgroundImage src={item.artUrl} radius="md" aria-hidden />
        </AspectRatio>
      )}
      <Grid gap="md">
        <Grid.Col span={{ base: 5, sm: 4 }}>
          <AspectRatio ratio={2 / 3}>
            {item.thumbUrl ? (
              <Image src={item.thumbUrl} alt="" radius="md" fit="cover" />
            ) : (
              <Center bg="var(--mantine-color-default-hover)" aria-hidden>
                <IconMovie size={40} stroke={1.2} />
              </Center>
            )}
          </AspectRatio>
        </Grid.Col>
        <Grid.Col span={{ base: 7, sm: 8 }}>
          <Stack gap="sm">
            <Text c="dimmed" size="sm">
              {facts.join(" · ")}
            </Text>
            <Group gap="xs">
              {item.contentRating && (
                <Badge variant="outline" color="gray" radius="sm">
                  <span>{t("item.contentRating")}</span> {item.contentRating}
                </Badge>
              )}
              {item.rating ? (
                <Badge
                  variant="default"
                  radius="sm"
                  leftSection={
                    <IconStarFilled size={12} color="var(--mantine-color-yellow-5)" aria-hidden />
                  }
                >
                  <VisuallyHidden>{t("item.rating")}</VisuallyHidden>
                  {item.rating.toFixed(1)}
                </Badge>
              ) : null}
            </Group>
            <Text>{item.summary || t("item.noSummary")}</Text>
            {item.addedAt && (
              <Text size="sm" c="dimmed">
                {t("item.addedAt", { date: formatDateTime(item.addedAt, locale) })}
              </Text>
            )}
            {item.type === "collection" && (
              <Group>
                <Button component={Link} to={`/plex/collections/${item.ratingKey}`} variant="light">
                  {t("item.openCollection")}
                </Button>
              </Group>
            )}
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
