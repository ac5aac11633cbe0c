import { Button } from "@mantine/core";
import { IconLock } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import { Link, Outlet } from "react-router";

import { EmptyState } from "@/components/EmptyState";
import { PageHeader } from "@/components/PageHeader";
import { useCurrentUser } from "@/lib/session";

/** The 403 page a signed-in non-admin sees on an admin address. */
export function ForbiddenPage() {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t("states.forbiddenTitle")} />
      <EmptyState
        icon={<IconLock size={30} stroke={1.5} />}
        title={t("states.forbiddenHeading")}
        description={t("states.forbiddenBody")}
        action={
          <Button component={Link} to="/" variant="light">
            {t("states.goHome")}
          </Button>
        }
      />
    </>
  );
}

/** Layout route of admin pages: their children render for admins only, others get a 403. */
export function RequireAdmin() {
  const user = useCurrentUser();
  return user?.role === "admin" ? <Outlet /> : <ForbiddenPage />;
}
