import { Button } from "@mantine/core";
import { IconPlayerPlayFilled } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";

/** Milestone B replaces this with the pop-up + polling flow (usePlexSignIn). */
export function PlexSignInButton() {
  const { t } = useTranslation("auth");
  return (
    <Button
      fullWidth
      color="yellow"
      c="dark"
      leftSection={<IconPlayerPlayFilled size={18} />}
      disabled
    >
      {t("plex.button")}
    </Button>
  );
}
