// Verifies webhooks with the Standard Webhooks reference library (run by
// tests/webhooks.rs): reads a JSON file of [{secret, id, timestamp, signature, body}]
// and prints, per webhook, whether it verifies under that secret, then ALL OK.
import { readFileSync } from "node:fs";
import { Webhook } from "standardwebhooks";

const cases = JSON.parse(readFileSync(process.argv[2], "utf8"));
const results = cases.map(({ secret, id, timestamp, signature, body }) => {
  try {
    new Webhook(secret).verify(body, {
      "webhook-id": id,
      "webhook-timestamp": timestamp,
      "webhook-signature": signature,
    });
    return true;
  } catch (e) {
    return false;
  }
});
console.log(JSON.stringify(results));
console.log("ALL OK");
