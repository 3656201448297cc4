// Calls Crafter Profile's one operation through a client generated from the published
// document by openapi-typescript + openapi-fetch: its example, each documented error,
// and the application's access token ID in the query (see harness.ts for the settings
// and the report).

import createClient from "openapi-fetch";
import type { components, paths } from "./schema.js";
import { Harness } from "./harness.js";

type Profile = components["schemas"]["Profile"];
type ErrorBody = components["schemas"]["ErrorResponse"];

const harness = new Harness("/api/1/profile/{id}", "get");

/**
 * `GET /api/1/profile/59274dfbd4c650e226b03b65?attributeToReturn=firstName&attributeToReturn=lastName`,
 * with `accessTokenId` in the query as the document's API key scheme says. openapi-typescript
 * types only the operation's own parameters, so the key is added by a middleware, as
 * openapi-fetch's documentation shows for authentication.
 */
function getProfile(baseUrl: string) {
  const client = createClient<paths>({ baseUrl });
  const key = harness.credential("accessTokenId")["key"] ?? "";
  client.use({
    onRequest({ request }) {
      const url = new URL(request.url);
      url.searchParams.set("accessTokenId", key);
      return new Request(url, request);
    },
  });
  return client.GET("/api/1/profile/{id}", {
    params: {
      path: { id: "59274dfbd4c650e226b03b65" },
      query: { attributeToReturn: ["firstName", "lastName"] },
    },
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
    const error: ErrorBody | undefined = answer.error;
    harness.expectError(answer, status, error);
  });
}

// The scripted server records the key it received; the Rust test compares it.
await harness.check("credentials accessTokenId", async () => {
  const answer = await getProfile(harness.scriptedUrl("200"));
  harness.expectSuccess(answer, "200", answer.data);
});

harness.finish();
