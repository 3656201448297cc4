// Calls Xbox Live presence's one operation through a client generated from the
// published document by openapi-typescript + openapi-fetch: its example, each
// documented error (none has a body), and the `XBL3.0` key in `Authorization` (see
// harness.ts for the settings and the report).

import createClient from "openapi-fetch";
import type { components, paths } from "./schema.js";
import { Harness } from "./harness.js";

type Presence = components["schemas"]["PresenceRecord"];

const harness = new Harness("/users/xuid({xuid})", "get");

/** `GET /users/xuid(2533274790395904)?level=all` with the `xblAuth` key in its header. */
function getUserPresence(baseUrl: string) {
  const client = createClient<paths>({
    baseUrl,
    headers: { Authorization: harness.credential("xblAuth")["key"] },
  });
  return client.GET("/users/xuid({xuid})", {
    params: {
      path: { xuid: 2533274790395904 },
      query: { level: "all" },
      header: { "x-xbl-contract-version": "3", "Accept-Language": "en-US" },
    },
  });
}

await harness.check("success", async () => {
  const answer = await getUserPresence(harness.examplesUrl);
  const presence: Presence | undefined = answer.data;
  harness.expectSuccess(answer, "200", presence);
});

for (const status of harness.errorStatuses) {
  await harness.check(`error ${status}`, async () => {
    const answer = await getUserPresence(harness.scriptedUrl(status));
    // The document gives these statuses no body: openapi-typescript types it as absent.
    const error: undefined = answer.error;
    harness.expectError(answer, status, error);
  });
}

// The scripted server records the key it received; the Rust test compares it.
await harness.check("credentials xblAuth", async () => {
  const answer = await getUserPresence(harness.scriptedUrl("200"));
  harness.expectSuccess(answer, "200", answer.data);
});

harness.finish();
