import { Anchor, Button, Checkbox, Group, PasswordInput, Stack, TextInput } from "@mantine/core";
import { useField } from "@mantine/form";
import type { SyntheticEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "wouter";

import { usePasswordSignIn } from "@/features/auth/api/signIn";
import { ApiErrorAlert } from "@/components/ApiErrorAlert";

// One `useField` per input rather than `useForm`: the sign-in page is in the first download,
// and useForm costs 5 KB of gzipped JavaScript more (the sign-in route's budget is 150 KB).
export function PasswordSignInForm() {
  const { t } = useTranslation("auth");
  const signIn = usePasswordSignIn();
  const email = useField({
    initialValue: "",
    validate: (value) => (/^\S+@\S+$/.test(value) ? null : t("signIn.emailInvalid")),
  });
  const password = useField({
    initialValue: "",
    validate: (value) => (value ? null : t("signIn.passwordRequired")),
  });
  const rememberMe = useField({ initialValue: false, type: "checkbox" });
  const submit = async (event: SyntheticEvent) => {
    event.preventDefault();
    const errors = await Promise.all([email.validate(), password.validate()]);
    if (errors.some(Boolean)) return;
    signIn.mutate({
      email: email.getValue(),
      password: password.getValue(),
      rememberMe: rememberMe.getValue(),
    });
  };
  return (
    <form onSubmit={(event) => void submit(event)} noValidate>
      <Stack gap="sm">
        {signIn.isError && <ApiErrorAlert error={signIn.error} title={t("signIn.failed")} />}
        <TextInput
          label={t("signIn.email")}
          type="email"
          autoComplete="username"
          required
          {...email.getInputProps()}
        />
        <PasswordInput
          label={t("signIn.password")}
          autoComplete="current-password"
          required
          {...password.getInputProps()}
        />
        <Group justify="space-between">
          <Checkbox
            label={t("signIn.rememberMe")}
            {...rememberMe.getInputProps()}
          />
          <Anchor component={Link} to="/forgot-password" size="sm">
            {t("signIn.forgotPassword")}
          </Anchor>
        </Group>
        <Button type="submit" loading={signIn.isPending} fullWidth>
          {t("signIn.submit")}
        </Button>
      </Stack>
    </form>
  );
}
