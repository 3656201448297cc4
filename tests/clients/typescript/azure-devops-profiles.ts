// Calls Azure DevOps Profiles' one operation through a client generated from the
// published document by openapi-typescript + openapi-fetch: its example, each
// documented error, and both of its security alternatives, an OAuth 2.0 access token
// and basic authentication with a personal access token (see harness.ts for the
// settings and the report).

import createClient from "openapi-fetch";
import type { components, paths } from "./schema.js";
import { Harness } from "./harness.js";

type Profile = components["schemas"]["Profile"];
type ApiError = components["schemas"]["ApiError"];

const harness = new Harness("/_apis/profile/profiles/{id}", "get");

/** The `Authorization` header of each security alternative of the document. */
function authorization(scheme: "oauth2" | "basicAuth"): string {
  const credential = harness.credential(scheme);
  if (scheme === "oauth2") {
    return `Bearer ${credential["token"]}`;
  }
  const pair = `${credential["user"]}:${credential["password"]}`;
  return `Basic ${Buffer.from(pair, "utf8").toString("base64")}`;
}

/** `GET /_apis/profile/profiles/me?api-version=7.1&details=true&coreAttributes=Email,Avatar`. */
function getProfile(baseUrl: string, scheme: "oauth2" | "basicAuth" = "oauth2") {
  const client = createClient<paths>({ baseUrl, headers: { Authorization: authorization(scheme) } });
  return client.GET("/_apis/profile/profiles/{id}", {
    params: {
      path: { id: "me" },
      query: { "api-version": "7.1", details: true, coreAttributes: ["Email", "Avatar"] },
    },
    // The document sends `coreAttributes` as one comma-separated value (`style: form`,
    // `explode: false`); openapi-fetch repeats array items unless told.
    querySerializer: { array: { style: "form", explode: false } },
  });
}

await harness.check("success", async () => {
  const answer = await getProfile(harness.examplesUrl);
  const profile: Profile | undefined = answer.data;
  harness.expectSuccess(answer, "200", profile);
});

for (const status of harness.errorStatuses) {
  await harness.check(`error ${status}`, async () => {
    const answer = await getProfile(harness.scriptedUrl(status));
    const error: ApiError | undefined = answer.error;
    harness.expectError(answer, status, error);
  });
}

// The scripted server records the credentials it received; the Rust test compares them.
for (const scheme of ["oauth2", "basicAuth"] as const) {
  await harness.check(`credentials ${scheme}`, async () => {
    const answer = await getProfile(harness.scriptedUrl("200"), scheme);
    harness.expectSuccess(answer, "200", answer.data);
  });
}

harness.finish();
