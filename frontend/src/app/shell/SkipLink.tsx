import { Anchor } from "@mantine/core";
import type { MouseEvent } from "react";
import { useTranslation } from "react-i18next";

import classes from "@/app/shell/SkipLink.module.css";

/** For the element the link skips to. */
export const skipTargetClass = classes.target;

/** The first stop of the keyboard: past the header and navbar, to the page's content. A
 * plain `#main` link would resolve against `<base href>` and leave the page, so it moves
 * focus itself. */
export function SkipLink({ target }: { target: string }) {
  const { t } = useTranslation();
  const skip = (event: MouseEvent<HTMLAnchorElement>) => {
    event.preventDefault();
    const main = document.getElementById(target);
    main?.focus();
    main?.scrollIntoView();
  };
  return (
    <Anchor href={`#${target}`} className={classes.link} onClick={skip}>
      {t("shell.skipToContent")}
    </Anchor>
  );
}
