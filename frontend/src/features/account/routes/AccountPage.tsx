import { Tabs } from "@mantine/core";
import { IconDevices, IconKey, IconLock, IconUser } from "@tabler/icons-react";
import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";

import { LoadingState } from "@/components/LoadingState";
import { PageHeader } from "@/components/PageHeader";
import { ApiKeysPanel } from "@/features/account/components/ApiKeysPanel";
import { PasswordForm } from "@/features/account/components/PasswordForm";
import { ProfileForm } from "@/features/account/components/ProfileForm";
import { SessionsList } from "@/features/account/components/SessionsList";
import { useSearchParams } from "@/lib/routing";
import { useCurrentUser } from "@/lib/session";

const TABS = [
  { value: "profile", icon: IconUser },
  { value: "password", icon: IconLock },
  { value: "sessions", icon: IconDevices },
  { value: "api-keys", icon: IconKey },
] as const;

type Tab = (typeof TABS)[number]["value"];

function isTab(value: string | null): value is Tab {
  return TABS.some((tab) => tab.value === value);
}

/** The signed-in user's account: profile, password, devices and API keys. */
export function AccountPage() {
  const { t } = useTranslation("account");
  const user = useCurrentUser();
  const [params, setParams] = useSearchParams();
  const requested = params.get("tab");
  const tab: Tab = isTab(requested) ? requested : "profile";
  const tabList = useRef<HTMLDivElement>(null);
  // On a phone the tabs scroll sideways: the open one (e.g. from ?tab=api-keys) is in view.
  useEffect(() => {
    const list = tabList.current;
    const active = list?.querySelector<HTMLElement>('[role="tab"][aria-selected="true"]');
    if (list && active) {
      const [outer, inner] = [list.getBoundingClientRect(), active.getBoundingClientRect()];
      list.scrollLeft += inner.left - outer.left - (outer.width - inner.width) / 2;
    }
  }, [tab, user]);
  if (!user) return <LoadingState />;
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      <Tabs
        value={tab}
        onChange={(value) => setParams(value && value !== "profile" ? { tab: value } : {}, { replace: true })}
        keepMounted={false}
      >
        <Tabs.List ref={tabList} mb="lg" style={{ flexWrap: "nowrap", overflowX: "auto" }}>
          {TABS.map((item) => (
            <Tabs.Tab key={item.value} value={item.value} leftSection={<item.icon size={16} aria-hidden />}>
              {t(`tabs.${item.value}`)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        <Tabs.Panel value="profile">
          <ProfileForm user={user} />
        </Tabs.Panel>
        <Tabs.Panel value="password">
          <PasswordForm />
        </Tabs.Panel>
        <Tabs.Panel value="sessions">
          <SessionsList />
        </Tabs.Panel>
        <Tabs.Panel value="api-keys">
          <ApiKeysPanel />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}
