import { Anchor, Group, Paper, Title } from "@mantine/core";
import type { ReactNode } from "react";
import { Link } from "wouter";

/** A titled card of the home page, with an optional "see all" link. */
export function SectionCard({
  title,
  link,
  children,
}: {
  title: string;
  link?: { to: string; label: string };
  children: ReactNode;
}) {
  return (
    <Paper withBorder radius="lg" p={{ base: "sm", sm: "md" }} component="section" aria-label={title}>
      <Group justify="space-between" mb="sm" wrap="nowrap">
        <Title order={2} size="h4">
          {title}
        </Title>
        {link && (
          <Anchor component={Link} to={link.to} size="sm" underline="hover">
            {link.label}
          </Anchor>
        )}
      </Group>
      {children}
    </Paper>
  );
}
