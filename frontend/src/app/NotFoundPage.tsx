import { Button } from "@mantine/core";
import { IconMapOff } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import { Link } from "wouter";

import { EmptyState } from "@/components/EmptyState";

export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <EmptyState
      icon={<IconMapOff size={30} stroke={1.5} />}
      title={t("states.notFoundTitle")}
      description={t("states.notFoundBody")}
      action={
        <Button component={Link} to="/" variant="light">
          {t("states.goHome")}
        </Button>
      }
    />
  );
}
