import { Box, Group, Pagination, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";

import type { components } from "@/lib/api/schema";

type PaginationInfo = components["schemas"]["Pagination"];

/** "25–30 of 30" and the page buttons; nothing when everything fits on one page. */
export function PlexPagination({
  pagination,
  onChange,
}: {
  pagination: PaginationInfo;
  onChange: (page: number) => void;
}) {
  const { t } = useTranslation("library");
  const { page, limit, totalItems, totalPages } = pagination;
  if (totalItems === 0) return null;
  const from = (page - 1) * limit + 1;
  const to = Math.min(totalItems, page * limit);
  return (
    <Group justify="space-between" mt="lg" gap="sm">
      <Text size="sm" c="dimmed" aria-live="polite">
        {t("paging.range", { from, to, total: totalItems })}
      </Text>
      {totalPages > 1 && (
        <Box component="nav" aria-label={t("paging.label")}>
          <Pagination
          total={totalPages}
          value={page}
          onChange={onChange}
          size="sm"
          siblings={1}
          getControlProps={(control) => ({ "aria-label": t(`paging.${control}`) })}
        />
        </Box>
      )}
    </Group>
  );
}
