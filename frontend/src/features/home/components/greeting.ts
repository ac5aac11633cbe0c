/** Which greeting fits the hour of the day (local time). */
export type DayPart = "morning" | "afternoon" | "evening" | "night";

export function dayPart(now: Date): DayPart {
  const hour = now.getHours();
  if (hour >= 5 && hour < 12) return "morning";
  if (hour >= 12 && hour < 18) return "afternoon";
  if (hour >= 18 && hour < 23) return "evening";
  return "night";
}
