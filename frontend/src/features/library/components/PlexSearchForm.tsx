import { ActionIcon, TextInput } from "@mantine/core";
import { IconArrowRight, IconSearch } from "@tabler/icons-react";
import { useState, type SyntheticEvent } from "react";
import { useTranslation } from "react-i18next";
import { useLocation } from "wouter";

/** The search box: Enter (or the arrow) goes to the search page with the words. */
export function PlexSearchForm({ initial = "" }: { initial?: string }) {
  const { t } = useTranslation("library");
  const [, navigate] = useLocation();
  const [value, setValue] = useState(initial);
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    const query = value.trim();
    if (query) navigate(`/plex/search?q=${encodeURIComponent(query)}`);
  };
  return (
    <form onSubmit={submit} role="search" aria-label={t("search.label")}>
      <TextInput
        label={t("search.label")}
        placeholder={t("search.placeholder")}
        value={value}
        onChange={(event) => setValue(event.currentTarget.value)}
        leftSection={<IconSearch size={16} aria-hidden />}
        rightSection={
          <ActionIcon type="submit" variant="subtle" aria-label={t("search.submit")}>
            <IconArrowRight size={16} aria-hidden />
          </ActionIcon>
        }
        maxLength={200}
        w={{ base: "100%", sm: 360 }}
      />
    </form>
  );
}
