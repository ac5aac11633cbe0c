import { Group, Pagination, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";

/** The page switcher under a list, with the total count. */
export function Paging({
  page,
  totalPages,
  totalItems,
  onChange,
}: {
  page: number;
  totalPages: number;
  totalItems: number;
  onChange: (page: number) => void;
}) {
  const { t } = useTranslation("admin");
  return (
    <Group justify="space-between" mt="md" wrap="wrap" gap="sm">
      <Text size="sm" c="dimmed">
        {t("paging.total", { count: totalItems })}
      </Text>
      {totalPages > 1 && (
        <Pagination
          value={page}
          total={totalPages}
          onChange={onChange}
          size="sm"
          getControlProps={(control) => ({ "aria-label": t(`paging.${control}`) })}
          getItemProps={(item) => ({ "aria-label": t("paging.page", { page: item }) })}
        />
      )}
    </Group>
  );
}
