import { ActionIcon, TextInput } from "@mantine/core";
import { IconArrowRight, IconSearch } from "@tabler/icons-react";
import { useState, type SyntheticEvent } from "react";
import { useTranslation } from "react-i18next";
import { useLocation } from "wouter";

/** The title search box; submitting opens the search page for the words. */
export function SearchForm({ initial = "" }: { initial?: string }) {
  const { t } = useTranslation("discover");
  const [, navigate] = useLocation();
  const [value, setValue] = useState(initial);
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    const query = value.trim();
    if (query) navigate(`/discover/search?q=${encodeURIComponent(query)}`);
  };
  return (
    <form onSubmit={submit} role="search">
      <TextInput
        type="search"
        size="md"
        label={t("search.label")}
        placeholder={t("search.placeholder")}
        value={value}
        onChange={(event) => setValue(event.currentTarget.value)}
        leftSection={<IconSearch size={18} aria-hidden />}
        rightSection={
          <ActionIcon type="submit" variant="filled" size="md" aria-label={t("search.submit")}>
            <IconArrowRight size={16} aria-hidden />
          </ActionIcon>
        }
        maxLength={200}
      />
    </form>
  );
}
