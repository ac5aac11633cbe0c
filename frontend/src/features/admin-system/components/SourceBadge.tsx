import { Badge } from "@mantine/core";
import { useTranslation } from "react-i18next";

import type { SettingSource } from "@/features/admin-system/api/settings";

const COLORS: Record<SettingSource, string> = { database: "blue", environment: "grape", default: "gray" };

/** Where a setting's value comes from: saved here, the environment, or the default. */
export function SourceBadge({ source }: { source: SettingSource }) {
  const { t } = useTranslation("admin-system");
  return (
    <Badge size="xs" variant="outline" color={COLORS[source]} radius="sm">
      {t(`settings.source.${source}`)}
    </Badge>
  );
}
