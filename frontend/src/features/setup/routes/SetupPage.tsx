import { Button, Progress, Stack, Stepper, Text, Title } from "@mantine/core";
import { IconCircleCheck } from "@tabler/icons-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, Redirect } from "wouter";

import { useSettings } from "@/features/setup/api/setup";
import { AdminStep } from "@/features/setup/components/AdminStep";
import { OverseerrStep } from "@/features/setup/components/OverseerrStep";
import { PlexStep } from "@/features/setup/components/PlexStep";
import { YoutubeStep } from "@/features/setup/components/YoutubeStep";
import { ApiErrorAlert } from "@/components/ApiErrorAlert";
import { AuthLayout } from "@/components/AuthLayout";
import { LoadingState } from "@/components/LoadingState";
import { useSession } from "@/lib/session";

const STEPS = ["admin", "plex", "overseerr", "youtube", "done"] as const;
type Step = (typeof STEPS)[number];

function DoneStep() {
  const { t } = useTranslation("setup");
  return (
    <Stack align="center" gap="sm" ta="center">
      <IconCircleCheck size={48} color="var(--mantine-color-green-6)" aria-hidden />
      <Text>{t("done.body")}</Text>
      <Button component={Link} to="/" size="md">
        {t("done.open")}
      </Button>
    </Stack>
  );
}

/** First run: create the admin, then connect Plex, Overseerr and the YouTube folder. Every
 * service step can be skipped (the admin settings have them all). */
export function SetupPage() {
  const { t } = useTranslation("setup");
  const session = useSession();
  const isAdmin = session.data?.user.role === "admin";
  const [step, setStep] = useState<Step | null>(null);
  const settings = useSettings(isAdmin);

  if (session.isPending) return <LoadingState minHeight={400} />;
  // Someone signed in who is not an admin has nothing to set up here.
  if (session.data && !isAdmin) return <Redirect to="/" replace />;
  // Signed in as admin already (a reload mid-way): continue after the admin step.
  const current: Step = step ?? (isAdmin ? "plex" : "admin");
  const index = STEPS.indexOf(current);
  const next = () => setStep(STEPS[index + 1] ?? "done");

  let content;
  if (current === "admin") {
    content = <AdminStep onDone={next} />;
  } else if (current === "done") {
    content = <DoneStep />;
  } else if (settings.isPending) {
    content = <LoadingState minHeight={160} />;
  } else if (settings.isError) {
    content = <ApiErrorAlert error={settings.error} onRetry={() => void settings.refetch()} />;
  } else if (current === "plex") {
    content = <PlexStep initialUrl={settings.data.plex.url.value ?? ""} onDone={next} />;
  } else if (current === "overseerr") {
    content = <OverseerrStep initialUrl={settings.data.overseerr.url.value ?? ""} onDone={next} />;
  } else {
    content = <YoutubeStep initialDir={settings.data.youtube.libraryDir.value} onDone={next} />;
  }

  return (
    <AuthLayout width={640}>
      <Stack gap="lg">
        <Stack gap={4}>
          <Title order={1} size="h3">
            {t("title")}
          </Title>
          <Text size="sm" c="dimmed">
            {t("subtitle")}
          </Text>
        </Stack>
        <Stepper
          active={index}
          size="sm"
          visibleFrom="sm"
          allowNextStepsSelect={false}
          // Five steps in the card's width: narrower gaps so "Done" stays on the same line.
          styles={{
            steps: { flexWrap: "nowrap" },
            separator: { marginInline: "var(--mantine-spacing-xs)", minWidth: 8 },
          }}
        >
          {STEPS.map((name) => (
            <Stepper.Step key={name} label={t(`stepsShort.${name}`)} />
          ))}
        </Stepper>
        <Stack gap={6} hiddenFrom="sm">
          <Text size="sm" fw={600}>
            {t("stepOf", { n: index + 1, total: STEPS.length, name: t(`steps.${current}`) })}
          </Text>
          <Progress value={((index + 1) / STEPS.length) * 100} aria-hidden />
        </Stack>
        <Title order={2} size="h4">
          {t(`steps.${current}`)}
        </Title>
        {content}
      </Stack>
    </AuthLayout>
  );
}
