import { Code } from "@mantine/core";

/** Structured details, pretty-printed and wrapping (no horizontal scroll on phones). */
export function JsonBlock({ value }: { value: unknown }) {
  return (
    <Code block style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}>
      {JSON.stringify(value, null, 2)}
    </Code>
  );
}
