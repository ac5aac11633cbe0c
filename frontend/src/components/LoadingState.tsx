import { Center, Loader, Stack, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";

/** A centred spinner with an accessible label (screen readers hear "Loading…"). */
export function LoadingState({ label, minHeight = 200 }: { label?: string; minHeight?: number }) {
  const { t } = useTranslation();
  const text = label ?? t("states.loading");
  return (
    <Center mih={minHeight} role="status" aria-live="polite">
      <Stack align="center" gap="xs">
        <Loader type="dots" aria-hidden />
        <Text c="dimmed" size="sm">
          {text}
        </Text>
      </Stack>
    </Center>
  );
}
