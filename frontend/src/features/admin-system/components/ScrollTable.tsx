import { Table } from "@mantine/core";
import type { ReactNode } from "react";

/** A table that scrolls sideways on narrow screens; its scroll area is reachable by keyboard. */
export function ScrollTable({ label, minWidth, children }: { label: string; minWidth: number; children: ReactNode }) {
  return (
    <Table.ScrollContainer
      minWidth={minWidth}
      scrollAreaProps={{ viewportProps: { tabIndex: 0, role: "region", "aria-label": label } }}
    >
      {children}
    </Table.ScrollContainer>
  );
}
