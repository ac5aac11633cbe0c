// Lazily loaded: the chart library stays out of every other page's JavaScript.
import "@mantine/charts/styles.css";

import { LineChart } from "@mantine/charts";
import { Text } from "@mantine/core";
import { useTranslation } from "react-i18next";

import { useServiceHistory } from "@/features/admin-system/api/services";
import { ApiErrorAlert } from "@/components/ApiErrorAlert";
import { LoadingState } from "@/components/LoadingState";

/** Response times of a service's latest checks, oldest to newest. */
export function ServiceHistoryChart({ name, label }: { name: string; label: string }) {
  const { t, i18n } = useTranslation("admin-system");
  const history = useServiceHistory(name);
  if (history.isPending) return <LoadingState minHeight={120} />;
  if (history.isError) return <ApiErrorAlert error={history.error} onRetry={() => void history.refetch()} />;
  const time = new Intl.DateTimeFormat(i18n.language, { timeStyle: "short" });
  const points = [...history.data.history]
    .reverse()
    .map((point) => ({ at: time.format(new Date(point.checkedAt)), ms: point.responseMs ?? 0 }));
  if (points.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        {t("services.historyEmpty")}
      </Text>
    );
  }
  return (
    <div role="img" aria-label={`${t("services.history")}: ${label}`}>
      <LineChart
        h={120}
        data={points}
        dataKey="at"
        series={[{ name: "ms", label: t("services.historyMs"), color: "blue.5" }]}
        curveType="monotone"
        withDots={false}
        gridAxis="y"
        tickLine="none"
        unit=" ms"
        xAxisProps={{ minTickGap: 40 }}
      />
    </div>
  );
}
