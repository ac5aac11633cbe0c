import { MantineProvider } from "@mantine/core";
import { render, screen } from "@testing-library/react";
import { I18nextProvider } from "react-i18next";
import { describe, expect, it } from "vitest";

import { Paging } from "@/features/admin/components/Paging";
import admin from "@/features/admin/i18n/en.json";
import { createI18n } from "@/lib/i18n";

function renderPaging(totalItems: number, totalExact?: boolean) {
  render(
    <I18nextProvider i18n={createI18n({ admin: { en: admin } })}>
      <MantineProvider>
        <Paging page={1} totalPages={1} totalItems={totalItems} totalExact={totalExact} onChange={() => undefined} />
      </MantineProvider>
    </I18nextProvider>,
  );
}

describe("Paging", () => {
  it("shows an exact total as counted, with digit grouping", () => {
    renderPaging(12345);
    expect(screen.getByText("12,345 items")).toBeTruthy();
  });

  it("says 'about' when the server estimated the total", () => {
    renderPaging(1234567, false);
    expect(screen.getByText("About 1,234,567 items")).toBeTruthy();
  });

  it("counts one item in the singular", () => {
    renderPaging(1, true);
    expect(screen.getByText("1 item")).toBeTruthy();
  });
});
