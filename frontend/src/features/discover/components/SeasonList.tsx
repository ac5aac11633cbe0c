import { Badge, Table, type MantineColor } from "@mantine/core";
import { useTranslation } from "react-i18next";

import type { SeasonAvailability } from "@/features/discover/api/discover";
import { formatDate } from "@/lib/format";

const SEASON_COLORS: Record<SeasonAvailability["availability"], MantineColor> = {
  available: "green",
  partially_available: "teal",
  processing: "blue",
  pending: "yellow",
  unknown: "gray",
};

/** Each season of a show with what Plex has of it. */
export function SeasonList({ seasons }: { seasons: SeasonAvailability[] }) {
  const { t, i18n } = useTranslation("discover");
  return (
    <Table.ScrollContainer minWidth={320}>
      <Table verticalSpacing="xs" striped highlightOnHover>
        <Table.Caption>{t("details.seasonsCaption")}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t("details.season")}</Table.Th>
            <Table.Th scope="col">{t("details.episodes")}</Table.Th>
            <Table.Th scope="col" visibleFrom="xs">{t("details.airDate")}</Table.Th>
            <Table.Th scope="col">{t("details.availability")}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {seasons.map((season) => (
            <Table.Tr key={season.seasonNumber}>
              <Table.Th scope="row" fw={500}>
                {season.name ?? t("details.seasonNumber", { number: season.seasonNumber })}
              </Table.Th>
              <Table.Td>{season.episodeCount ?? "—"}</Table.Td>
              <Table.Td visibleFrom="xs">
                {season.airDate ? formatDate(season.airDate, i18n.language) : "—"}
              </Table.Td>
              <Table.Td>
                <Badge color={SEASON_COLORS[season.availability]} variant="light" radius="sm">
                  {t(`seasonStatus.${season.availability}`)}
                </Badge>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
