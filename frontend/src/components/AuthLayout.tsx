import { Box, Center, Group, Paper, Text, ThemeIcon } from "@mantine/core";
import { IconBoxMultiple } from "@tabler/icons-react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";

/** The centred card that sign-in, password and setup pages sit in. */
export function AuthLayout({ children, width = 420 }: { children: ReactNode; width?: number }) {
  const { t } = useTranslation();
  return (
    <Center mih="100dvh" p="md" component="main">
      <Box w="100%" maw={width}>
        <Group justify="center" gap="xs" mb="lg">
          <ThemeIcon size="lg" radius="md" variant="filled" aria-hidden>
            <IconBoxMultiple size={20} />
          </ThemeIcon>
          <Text fw={700} size="xl">
            {t("appName")}
          </Text>
        </Group>
        <Paper withBorder shadow="md" p={{ base: "md", xs: "xl" }} radius="lg">
          {children}
        </Paper>
      </Box>
    </Center>
  );
}
