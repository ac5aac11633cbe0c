import { Badge } from "@mantine/core";
import { useTranslation } from "react-i18next";

import type { SettingSource } from "@/features/admin-system/api/settings";

/** Where a setting's value comes from: saved here, the environment, or the default. */
export function SourceBadge({ source }: { source: SettingSource }) {
  const { t } = useTranslation("admin-system");
  return (
    <Badge size="xs" variant="default" radius="sm" tt="none">
      {t(`settings.source.${source}`)}
    </Badge>
  );
}
