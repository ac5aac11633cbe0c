import { Anchor, Avatar, Button, Group, Stack, Text } from "@mantine/core";
import { IconMovie } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import { Link } from "wouter";

import { EmptyState } from "@/components/EmptyState";
import { QueryView } from "@/components/QueryView";
import { StatusBadge } from "@/components/StatusBadge";
import { useRecentRequests } from "@/features/home/api/home";
import { SectionCard } from "@/features/home/components/SectionCard";
import { formatDateTime, formatRelative } from "@/lib/format";

/** The user's latest media requests, each linking to its page. */
export function RecentRequestsCard() {
  const { t } = useTranslation("home");
  const query = useRecentRequests();
  return (
    <SectionCard title={t("requests.title")} link={{ to: "/requests", label: t("seeAll") }}>
      <QueryView
        query={query}
        loadingHeight={120}
        isEmpty={(data) => data.items.length === 0}
        empty={
          <EmptyState
            title={t("requests.emptyTitle")}
            description={t("requests.emptyBody")}
            action={
              <Button component={Link} to="/discover" variant="light" size="xs">
                {t("requests.discover")}
              </Button>
            }
          />
        }
      >
        {(data) => (
          <Stack component="ul" gap="sm" p={0} m={0} style={{ listStyle: "none" }}>
            {data.items.map((request) => (
              <Group component="li" key={request.id} wrap="nowrap" gap="sm">
                <Avatar src={request.posterUrl} radius="sm" w={36} h={54} alt="" aria-hidden>
                  <IconMovie size={18} />
                </Avatar>
                <Stack gap={2} style={{ flex: 1, minWidth: 0 }}>
                  <Anchor component={Link} to={`/requests/${request.id}`} fw={600} size="sm" lineClamp={1}>
                    {request.title}
                  </Anchor>
                  <Text size="xs" c="dimmed" title={formatDateTime(request.createdAt)}>
                    {t(`requests.mediaType.${request.mediaType}`)} ·{" "}
                    {formatRelative(request.createdAt)}
                  </Text>
                </Stack>
                <StatusBadge status={request.status} />
              </Group>
            ))}
          </Stack>
        )}
      </QueryView>
    </SectionCard>
  );
}
