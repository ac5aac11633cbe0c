import { AspectRatio, Box, Card, Center, Image, Stack, Text } from "@mantine/core";
import { IconMovie } from "@tabler/icons-react";
import type { ReactNode } from "react";
import { Link } from "wouter";

/** A 2:3 poster with title, subtitle and an optional badge over its corner. */
export function PosterCard({
  title,
  subtitle,
  imageUrl,
  to,
  badge,
}: {
  title: string;
  subtitle?: string;
  /** Same-origin URL (the Plex or TMDB image proxy); nothing third-party (CSP). */
  imageUrl?: string | null;
  to?: string;
  badge?: ReactNode;
}) {
  const body = (
    <Card padding={0} radius="md" withBorder style={{ overflow: "hidden" }} h="100%" pos="relative">
      <Box pos="relative">
        <AspectRatio ratio={2 / 3}>
          {imageUrl ? (
            <Image src={imageUrl} alt="" loading="lazy" fit="cover" />
          ) : (
            <Center bg="var(--mantine-color-default-hover)" aria-hidden>
              <IconMovie size={40} stroke={1.2} />
            </Center>
          )}
        </AspectRatio>
      </Box>
      <Stack gap={0} p="xs">
        <Text fw={600} size="sm" lineClamp={2}>
          {title}
        </Text>
        {subtitle && (
          <Text size="xs" c="dimmed">
            {subtitle}
          </Text>
        )}
      </Stack>
      {/* After the title so a link reads "title, subtitle, badge"; drawn over the poster and
          no wider than it, margins included (a long badge has to shrink: ellipsis). */}
      {badge && (
        <Box pos="absolute" top={8} left={8} right={8} display="flex">
          {badge}
        </Box>
      )}
    </Card>
  );
  return to ? (
    <Link to={to} style={{ textDecoration: "none", color: "inherit" }}>
      {body}
    </Link>
  ) : (
    body
  );
}
