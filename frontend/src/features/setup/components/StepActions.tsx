import { Button, Group } from "@mantine/core";
import { useTranslation } from "react-i18next";

/** Skip (do it later in the admin settings) and the step's main action. */
export function StepActions({
  onSkip,
  submitLabel,
  loading,
}: {
  onSkip?: () => void;
  submitLabel: string;
  loading?: boolean;
}) {
  const { t } = useTranslation();
  return (
    <Group justify="space-between" mt="md">
      {onSkip ? (
        <Button variant="subtle" color="gray" onClick={onSkip}>
          {t("actions.skip")}
        </Button>
      ) : (
        <span />
      )}
      <Button type="submit" loading={loading}>
        {submitLabel}
      </Button>
    </Group>
  );
}
