import { Button } from "@mantine/core";
import { IconLock } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import { Link, Outlet } from "react-router";

import { EmptyState } from "@/components/EmptyState";
import { PageHeader } from "@/components/PageHeader";
import { useCurrentUser } from "@/lib/session";

/** Admin pages: anyone else who types their address gets a clear 403 page. */
export function AdminOnly() {
  const { t } = useTranslation();
  const user = useCurrentUser();
  if (user?.role === "admin") return <Outlet />;
  return (
    <>
      <PageHeader title={t("forbidden.title")} />
      <EmptyState
        icon={<IconLock size={30} stroke={1.5} />}
        title={t("forbidden.code")}
        description={t("forbidden.body")}
        action={
          <Button component={Link} to="/" variant="light">
            {t("states.goHome")}
          </Button>
        }
      />
    </>
  );
}
