import { Alert, Button, Image, Stack, Text } from "@mantine/core";
import { IconPlayerPlayFilled } from "@tabler/icons-react";
import { useMutation } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";

import { createPlexPin, waitForPlexApproval, type PlexPin } from "@/features/auth/api/plex";
import { ApiErrorAlert } from "@/components/ApiErrorAlert";
import { isApiError } from "@/lib/api/errors";
import { useApplySignIn } from "@/lib/session";

const POPUP_FEATURES = "popup=yes,width=600,height=720";

/** Opens a blank pop-up now, while the click still allows it; it is sent to Plex later.
 * (Its opener stays set: only the opener may close it once Plex has approved.) */
function openPopup(): Window | null {
  return window.open("", "medianest-plex", POPUP_FEATURES);
}

type Outcome = "expired" | "denied" | "cancelled" | "failed";

function outcomeOf(error: unknown): Outcome {
  if (error instanceof DOMException && error.name === "AbortError") return "cancelled";
  if (isApiError(error) && error.code === "PLEX_PIN_EXPIRED") return "expired";
  if (isApiError(error) && error.code === "PLEX_ACCESS_DENIED") return "denied";
  return "failed";
}

export function PlexSignInButton({ rememberMe = false }: { rememberMe?: boolean }) {
  const { t } = useTranslation("auth");
  const signedIn = useApplySignIn();
  const [pin, setPin] = useState<PlexPin | null>(null);
  const [blocked, setBlocked] = useState(false);
  const abort = useRef<AbortController | null>(null);
  const popup = useRef<Window | null>(null);

  const flow = useMutation({
    mutationFn: async () => {
      abort.current = new AbortController();
      popup.current = openPopup();
      setBlocked(popup.current === null);
      try {
        const created = await createPlexPin();
        setPin(created);
        if (popup.current) popup.current.location.href = created.authUrl;
        return await waitForPlexApproval(created, { rememberMe, signal: abort.current.signal });
      } finally {
        popup.current?.close();
      }
    },
    onSuccess: signedIn,
  });

  useEffect(() => () => abort.current?.abort(), []);

  const cancel = () => abort.current?.abort(new DOMException("cancelled", "AbortError"));
  const outcome = flow.isError ? outcomeOf(flow.error) : null;

  if (flow.isPending) {
    return (
      <Stack gap="xs" role="status" aria-live="polite">
        <Button fullWidth loading color="yellow" aria-label={t("plex.waiting")}>
          {t("plex.waiting")}
        </Button>
        {blocked && pin ? (
          <Alert color="yellow" variant="light" title={t("plex.blockedTitle")}>
            <Stack gap="xs">
              <Text size="sm">{t("plex.blockedBody")}</Text>
              <Button
                component="a"
                href={pin.authUrl}
                target="_blank"
                rel="noopener noreferrer"
                color="yellow"
                c="dark.9"
              >
                {t("plex.openPlex")}
              </Button>
              <Image src={pin.qrUrl} alt={t("plex.qrAlt")} w={160} h={160} />
            </Stack>
          </Alert>
        ) : (
          <Text size="sm" c="dimmed" ta="center">
            {t("plex.approveInPopup")}
          </Text>
        )}
        <Button variant="subtle" size="xs" onClick={cancel}>
          {t("common:actions.cancel")}
        </Button>
      </Stack>
    );
  }

  return (
    <Stack gap="xs">
      {outcome === "expired" && (
        <Alert color="yellow" variant="light" role="alert">
          {t("plex.expired")}
        </Alert>
      )}
      {outcome === "denied" && <ApiErrorAlert error={flow.error} title={t("plex.deniedTitle")} />}
      {outcome === "failed" && <ApiErrorAlert error={flow.error} title={t("plex.failedTitle")} />}
      <Button
        fullWidth
        color="yellow"
        c="dark.9"
        leftSection={<IconPlayerPlayFilled size={16} aria-hidden />}
        onClick={() => flow.mutate()}
      >
        {outcome && outcome !== "cancelled" ? t("plex.retry") : t("plex.button")}
      </Button>
    </Stack>
  );
}
