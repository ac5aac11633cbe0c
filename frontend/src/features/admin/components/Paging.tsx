import { Group, Pagination, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";

/** The page switcher under a list, with the total count ("about" when the server
 * estimated it: past ten thousand rows it does not count them all). */
export function Paging({
  page,
  totalPages,
  totalItems,
  totalExact = true,
  onChange,
}: {
  page: number;
  totalPages: number;
  totalItems: number;
  totalExact?: boolean;
  onChange: (page: number) => void;
}) {
  const { t } = useTranslation("admin");
  return (
    <Group justify="space-between" mt="md" wrap="wrap" gap="sm">
      <Text size="sm" c="dimmed">
        {t(totalExact ? "paging.total" : "paging.totalAbout", { count: totalItems })}
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
