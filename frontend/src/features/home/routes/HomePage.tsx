import { useTranslation } from "react-i18next";

import { EmptyState } from "@/components/EmptyState";
import { PageHeader } from "@/components/PageHeader";
import { useCurrentUser } from "@/lib/session";

export function HomePage() {
  const { t } = useTranslation("home");
  const user = useCurrentUser();
  return (
    <>
      <PageHeader
        title={t("title", { name: user?.name ?? user?.username ?? "" })}
        description={t("description")}
      />
      <EmptyState title={t("emptyTitle")} description={t("emptyBody")} />
    </>
  );
}
