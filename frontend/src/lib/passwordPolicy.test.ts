import { describe, expect, it } from "vitest";

import { fieldProblems, messagesFor, rulesMet, strength } from "@/lib/passwordPolicy";
import { ApiError } from "@/lib/api/errors";

describe("password policy", () => {
  it("says which rules a password meets", () => {
    expect(rulesMet("abc")).toEqual({
      length: false,
      uppercase: false,
      lowercase: true,
      digit: false,
      special: false,
    });
    expect(Object.values(rulesMet("Velvet-Harbour-2026"))).not.toContain(false);
  });

  it("grows the meter with rules and length", () => {
    expect(strength("")).toBe(0);
    expect(strength("aaaaaaaa")).toBeLessThan(strength("Aaaaaaa1!"));
    expect(strength("Aaaaaaa1!")).toBeLessThan(strength("Velvet-Harbour-Lantern-2026!"));
    expect(strength("Velvet-Harbour-Lantern-2026!")).toBe(100);
  });

  it("reads the API's per-field details", () => {
    const error = new ApiError(422, "VALIDATION_ERROR", "The password ...", "c-1", [
      { field: "newPassword", message: "must contain a digit", type: "password_policy" },
      { field: "newPassword", message: "is too easy to guess", type: "password_policy" },
      { field: "currentPassword", message: "is wrong", type: "mismatch" },
      "not a detail",
    ]);
    expect(messagesFor(error, "newPassword")).toEqual(["must contain a digit", "is too easy to guess"]);
    expect(messagesFor(error, "currentPassword")).toEqual(["is wrong"]);
    expect(fieldProblems(new Error("plain"))).toEqual([]);
  });
});
