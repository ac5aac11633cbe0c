import { Group, List, Progress, Stack, Text, ThemeIcon, VisuallyHidden } from "@mantine/core";
import { IconCheck, IconX } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";

import { MIN_LENGTH, RULES, rulesMet, strength } from "@/lib/passwordPolicy";

const LEVELS = [
  { below: 40, color: "red", key: "weak" },
  { below: 70, color: "orange", key: "fair" },
  { below: 100, color: "yellow", key: "good" },
  { below: Infinity, color: "green", key: "strong" },
] as const;

/** A meter and the policy's rules, ticked as the new password meets them. */
export function PasswordStrength({ password }: { password: string }) {
  const { t } = useTranslation();
  const score = strength(password);
  const met = rulesMet(password);
  const level = LEVELS.find((candidate) => score < candidate.below) ?? LEVELS[3];
  return (
    <Stack gap={6}>
      <Group gap="xs" wrap="nowrap">
        <Progress
          value={score}
          color={level.color}
          size="sm"
          style={{ flex: 1 }}
          aria-label={t("password.strengthLabel")}
        />
        <Text size="xs" c="dimmed" w={64} ta="right" aria-live="polite">
          {password ? t(`password.levels.${level.key}`) : ""}
        </Text>
      </Group>
      <List spacing={2} size="sm" center aria-label={t("password.rulesLabel")}>
        {RULES.map((rule) => (
          <List.Item
            key={rule.key}
            icon={
              <ThemeIcon color={met[rule.key] ? "green" : "gray"} size={18} radius="xl" variant="light" aria-hidden>
                {met[rule.key] ? <IconCheck size={12} /> : <IconX size={12} />}
              </ThemeIcon>
            }
          >
            <Text size="sm" c={met[rule.key] ? undefined : "dimmed"}>
              {t(`password.rules.${rule.key}`, { count: MIN_LENGTH })}
              <VisuallyHidden>
                {" "}
                {met[rule.key] ? t("password.ruleMet") : t("password.ruleNotMet")}
              </VisuallyHidden>
            </Text>
          </List.Item>
        ))}
      </List>
    </Stack>
  );
}
