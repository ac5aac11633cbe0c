// The API's password policy (src/medianest/auth/passwords.py), checked as the user types so
// the form can show which rules are met. The server stays the judge: it also rejects easily
// guessed passwords, and its error details are shown per rule after a refused change.
import { isApiError } from "@/lib/api/errors";

export const MIN_LENGTH = 8;

export const RULES = [
  { key: "length", test: (p: string) => p.length >= MIN_LENGTH },
  { key: "uppercase", test: (p: string) => /\p{Lu}/u.test(p) },
  { key: "lowercase", test: (p: string) => /\p{Ll}/u.test(p) },
  { key: "digit", test: (p: string) => /\d/.test(p) },
  { key: "special", test: (p: string) => /[\s!-/:-@[-`{-~]/.test(p) },
] as const;

export type RuleKey = (typeof RULES)[number]["key"];

export function rulesMet(password: string): Record<RuleKey, boolean> {
  return Object.fromEntries(RULES.map((rule) => [rule.key, rule.test(password)])) as Record<
    RuleKey,
    boolean
  >;
}

/** 0-100 for the meter: the rules met, plus length beyond the minimum (up to 16). */
export function strength(password: string): number {
  if (!password) return 0;
  const met = RULES.filter((rule) => rule.test(password)).length;
  const extraLength = Math.min(Math.max(password.length - MIN_LENGTH, 0), 8);
  return Math.round((met / RULES.length) * 70 + (extraLength / 8) * 30);
}

export interface FieldProblem {
  field: string;
  message: string;
}

/** The `details` of a refused call, per field (the policy's rules among them). */
export function fieldProblems(error: unknown): FieldProblem[] {
  if (!isApiError(error) || !Array.isArray(error.details)) return [];
  return (error.details as unknown[]).flatMap((item) => {
    if (typeof item !== "object" || item === null) return [];
    const { field, message } = item as { field?: unknown; message?: unknown };
    return typeof field === "string" && typeof message === "string" ? [{ field, message }] : [];
  });
}

/** The messages for one field, joined for a form error. */
export function messagesFor(error: unknown, field: string): string[] {
  return fieldProblems(error)
    .filter((problem) => problem.field === field)
    .map((problem) => problem.message);
}
