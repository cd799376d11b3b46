//! The OpenAPI 3.1 top-level `webhooks`: what the service POSTs to a registered endpoint.
//! utoipa has no place for them, so the document gets them here, after everything else.

use serde_json::{json, Value};

use crate::domain::webhooks::{CONTENT_TYPE, SCHEDULE};

fn header(name: &str, description: &str, schema: Value) -> Value {
    json!({ "name": name, "in": "header", "required": true, "description": description, "schema": schema })
}

/// The schedule as people read it: `5s, 5m, 30m, 2h, …`.
fn schedule() -> String {
    SCHEDULE
        .iter()
        .map(|d| match d.as_secs() {
            s if s % 3600 == 0 => format!("{}h", s / 3600),
            s if s % 60 == 0 => format!("{}m", s / 60),
            s => format!("{s}s"),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Adds `webhooks.changeEvent`.
pub fn apply(doc: &mut Value) {
    let description = format!(
        "Each committed change of a type an endpoint asked for (`POST /api/v1/webhooks`) is POSTed \
to its URL as the CloudEvent `GET /api/v1/events` shows (structured mode, `{CONTENT_TYPE}`), \
following the Standard Webhooks convention (https://www.standardwebhooks.com).\n\n\
Verify before trusting a delivery: compute HMAC-SHA256 over `{{webhook-id}}.{{webhook-timestamp}}.{{body}}` \
(the raw body bytes) with the key that is the base64-decoded part of the secret after `whsec_`, \
base64-encode it and compare it in constant time with the part after `v1,` of `webhook-signature`; \
refuse a timestamp more than a few minutes from your clock.\n\n\
Answer any 2xx within the timeout (`BM_WEBHOOK_TIMEOUT_SECS`, 10 s by default) to acknowledge it; \
redirects are not followed. Anything else is tried again after {}, with ±20% jitter (ten attempts \
over about three days); then the delivery is `failed`. 410 Gone disables the endpoint at once, and \
so do `BM_WEBHOOK_MAX_FAILURES` (20 by default) failed attempts in a row. Delivery is at least \
once: the same event can arrive twice (a retry after a lost answer, a service restart); drop a \
`webhook-id` you have processed.",
        schedule()
    );
    doc["webhooks"] = json!({
        "changeEvent": {
            "post": {
                "operationId": "deliver_change_event",
                "tags": ["webhooks"],
                "summary": "A committed change, pushed to a registered endpoint",
                "description": description,
                "parameters": [
                    header("webhook-id", "The event's `id`: the same for every attempt and every resend of this event; drop one you have processed.",
                        json!({ "type": "string", "format": "uuid", "example": "0193a1f2-7c3d-7e4f-8a5b-6c7d8e9f0a1b" })),
                    header("webhook-timestamp", "When this attempt was signed, in unix seconds.",
                        json!({ "type": "string", "pattern": "^[0-9]{1,12}$", "example": "1783390500" })),
                    header("webhook-signature", "`v1,` and the base64 HMAC-SHA256 of `{webhook-id}.{webhook-timestamp}.{body}`, keyed with the base64-decoded part of the endpoint's secret after `whsec_`.",
                        json!({ "type": "string", "pattern": "^v1,[A-Za-z0-9+/]{43}=$", "example": "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=" })),
                ],
                "requestBody": {
                    "required": true,
                    "content": { CONTENT_TYPE: { "schema": { "$ref": "#/components/schemas/CloudEvent" } } }
                },
                "responses": {
                    "200": { "description": "Delivered: no further attempt (any 2xx status is taken the same way)." },
                    "410": { "description": "Gone: the endpoint is disabled at once (an administrator enables it again)." },
                    "default": { "description": "Not delivered: tried again later, as the schedule says." }
                },
                "security": []
            }
        }
    });
}
