import { Alert, Anchor, Button, Stack, Text, TextInput, Title } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useTranslation } from "react-i18next";
import { Link } from "wouter";

import { useRequestPasswordReset } from "@/features/auth/api/passwords";
import { ApiErrorAlert } from "@/components/ApiErrorAlert";

export function ForgotPasswordPage() {
  const { t } = useTranslation("auth");
  const request = useRequestPasswordReset();
  const form = useForm({
    initialValues: { email: "" },
    validate: { email: (v) => (/^\S+@\S+$/.test(v) ? null : t("signIn.emailInvalid")) },
  });
  return (
    <Stack gap="md">
      <Title order={1} size="h3">
        {t("forgot.title")}
      </Title>
      {request.isSuccess ? (
        <Alert color="green" variant="light" role="status">
          {t("forgot.sent", { email: form.values.email })}
        </Alert>
      ) : (
        <form onSubmit={form.onSubmit((values) => request.mutate(values.email))} noValidate>
          <Stack gap="sm">
            <Text size="sm" c="dimmed">
              {t("forgot.body")}
            </Text>
            {request.isError && <ApiErrorAlert error={request.error} />}
            <TextInput
              label={t("signIn.email")}
              type="email"
              autoComplete="email"
              required
              {...form.getInputProps("email")}
            />
            <Button type="submit" loading={request.isPending} fullWidth>
              {t("forgot.submit")}
            </Button>
          </Stack>
        </form>
      )}
      <Anchor component={Link} to="/sign-in" size="sm" ta="center">
        {t("forgot.back")}
      </Anchor>
    </Stack>
  );
}
