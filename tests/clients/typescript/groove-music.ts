// Calls Groove Music's one operation through a client generated from the published
// document by openapi-typescript + openapi-fetch: its example, each documented error,
// and the bearer token (see harness.ts for the settings and the report).

import createClient from "openapi-fetch";
import type { components, paths } from "./schema.js";
import { Harness } from "./harness.js";

type Profile = components["schemas"]["UserProfileResponse"];
type ErrorBody = components["schemas"]["ErrorResponse"];

const harness = new Harness("/1/user/{namespace}/profile", "get");

/** `GET /1/user/music/profile` with a user token, as the document's `bearerAuth` says. */
function getUserProfile(baseUrl: string) {
  const client = createClient<paths>({
    baseUrl,
    headers: { Authorization: `Bearer ${harness.credential("bearerAuth")["token"]}` },
  });
  return client.GET("/1/user/{namespace}/profile", {
    params: { path: { namespace: "music" }, query: { language: "en", country: "US" } },
  });
}

await harness.check("success", async () => {
  const answer = await getUserProfile(harness.examplesUrl);
  const profile: Profile | string | undefined = answer.data;
  harness.expectSuccess(answer, "200", profile);
});

for (const status of harness.errorStatuses) {
  await harness.check(`error ${status}`, async () => {
    const answer = await getUserProfile(harness.scriptedUrl(status));
    const error: ErrorBody | undefined = answer.error;
    harness.expectError(answer, status, error);
  });
}

// The scripted server records the token it received; the Rust test compares it.
await harness.check("credentials bearerAuth", async () => {
  const answer = await getUserProfile(harness.scriptedUrl("200"));
  harness.expectSuccess(answer, "200", answer.data);
});

harness.finish();
