import { Anchor, AspectRatio, Box, Center, Group, Image, Paper, Stack, Text } from "@mantine/core";
import { IconMovie } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import { Link } from "wouter";

import { StatusBadge } from "@/components";
import type { MediaRequest } from "@/features/requests/api/requests";
import { seasonsLabel } from "@/features/requests/components/seasons";
import { formatRelative } from "@/lib/format";

/** One request in the list: poster, title (the link), what was asked for, status. */
export function RequestCard({ request }: { request: MediaRequest }) {
  const { t, i18n } = useTranslation("requests");
  const facts = [
    t(`type.${request.mediaType}`),
    request.mediaType === "tv" ? seasonsLabel(request.seasons, t) : null,
    t("list.requested", { when: formatRelative(request.createdAt, new Date(), i18n.language) }),
  ].filter(Boolean);
  return (
    <Paper withBorder radius="md" p="sm" component="li">
      <Group wrap="nowrap" gap="md" align="center">
        <Box w={48} style={{ flexShrink: 0 }}>
          <AspectRatio ratio={2 / 3}>
            {request.posterUrl ? (
              <Image src={request.posterUrl} alt="" radius="sm" fit="cover" />
            ) : (
              <Center bg="var(--mantine-color-default-hover)" aria-hidden>
                <IconMovie size={20} stroke={1.4} />
              </Center>
            )}
          </AspectRatio>
        </Box>
        <Stack gap={2} style={{ flex: 1, minWidth: 0 }}>
          <Anchor component={Link} to={`/requests/${request.id}`} fw={600} underline="hover" lineClamp={1}>
            {request.title}
          </Anchor>
          <Text size="sm" c="dimmed" lineClamp={2}>
            {facts.join(" · ")}
          </Text>
        </Stack>
        <StatusBadge status={request.status} />
      </Group>
    </Paper>
  );
}
