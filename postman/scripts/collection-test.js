// After every response of the MediaNest collection: the conventions every answer keeps, and
// the tokens of any sign-in answer (sign-in, refresh, Plex) kept for the next requests.
pm.test("carries a correlation id", () => {
  pm.expect(pm.response.headers.get("X-Correlation-ID")).to.be.a("string").and.not.empty;
});

let body = null;
const isJson = (pm.response.headers.get("Content-Type") || "").startsWith("application/json");
if (isJson && pm.response.text()) {
  body = pm.response.json();
}
if (body && typeof body === "object" && "success" in body) {
  const succeeded = pm.response.code < 400;
  pm.test("the envelope agrees with the status", () => {
    pm.expect(body.success).to.equal(succeeded);
    if (!succeeded) {
      pm.expect(body.error.code).to.be.a("string");
      pm.expect(body.correlationId).to.equal(pm.response.headers.get("X-Correlation-ID"));
    }
  });
  const data = body.data;
  if (succeeded && data && data.token && data.refreshToken) {
    pm.collectionVariables.set("accessToken", data.token);
    pm.collectionVariables.set("refreshToken", data.refreshToken);
    pm.collectionVariables.set("csrfToken", data.csrfToken);
    pm.collectionVariables.set("accessTokenExpiresAt", String(Date.now() + data.expiresIn * 1000));
    pm.collectionVariables.set("userId", data.user.id);
  }
}
