//! The OpenAPI document as a contract: every response the tests receive through the helpers is
//! checked against the operation that answered it — its status is documented, its media type
//! too, its JSON body validates against the declared schema, and every header it carries
//! (`ETag`, `Location`, `Idempotent-Replayed`, `Retry-After`, `X-Request-Id`) is documented.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};

use reqwest::header::{HeaderMap, CONTENT_TYPE};
use reqwest::{Method, Response};
use serde_json::{json, Value};

/// The headers whose presence the document states.
const HEADERS: [&str; 5] = [
    "ETag",
    "Location",
    "Idempotent-Replayed",
    "Retry-After",
    "X-Request-Id",
];

pub struct Contract {
    doc: Value,
    validators: Mutex<HashMap<String, Arc<jsonschema::Validator>>>,
}

pub static CONTRACT: LazyLock<Contract> = LazyLock::new(|| Contract {
    doc: budget_monitor::http::document(),
    validators: Mutex::new(HashMap::new()),
});

/// Reads a response, checks it against the document (panicking on a breach) and gives it back.
pub async fn checked(method: &Method, resp: Response) -> Response {
    let status = resp.status();
    let headers = resp.headers().clone();
    let path = resp.url().path().to_string();
    let body = resp.bytes().await.expect("the body is read");
    if let Err(e) = CONTRACT.verify(method.as_str(), &path, status.as_u16(), &headers, &body) {
        panic!(
            "{method} {path} answered {status} against the OpenAPI document: {e}\nbody: {}",
            String::from_utf8_lossy(&body)
        );
    }
    let mut rebuilt = http::Response::builder().status(status.as_u16());
    for (k, v) in &headers {
        rebuilt = rebuilt.header(k, v);
    }
    Response::from(rebuilt.body(body).expect("a response"))
}

impl Contract {
    /// The documented operation answering `method path`: its path template and description.
    pub fn operation(&self, method: &str, path: &str) -> Option<(&str, &Value)> {
        let segs: Vec<&str> = path.split('/').collect();
        self.doc["paths"].as_object()?.iter().find_map(|(t, item)| {
            let pattern: Vec<&str> = t.split('/').collect();
            let matches = pattern.len() == segs.len()
                && pattern
                    .iter()
                    .zip(&segs)
                    .all(|(p, s)| p == s || (p.starts_with('{') && !s.is_empty()));
            let op = item.get(method.to_lowercase())?;
            matches.then_some((t.as_str(), op))
        })
    }

    pub fn verify(
        &self,
        method: &str,
        path: &str,
        status: u16,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Result<(), String> {
        let Some((template, op)) = self.operation(method, path) else {
            // Not an operation of the document: the docs page, an unknown route, a wrong method.
            return Ok(());
        };
        let response = op["responses"]
            .get(status.to_string())
            .ok_or_else(|| format!("status {status} is not documented for {template}"))?;
        self.verify_headers(response, headers)?;
        if status == 204 {
            return if body.is_empty() {
                Ok(())
            } else {
                Err("a 204 with a body".into())
            };
        }
        let media = headers
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .map(str::trim)
            .ok_or("no Content-Type")?;
        // A documented media type may carry parameters (`text/plain; version=0.0.4`).
        let schema = response["content"]
            .as_object()
            .and_then(|c| {
                c.iter()
                    .find(|(k, _)| k.split(';').next().map(str::trim) == Some(media))
            })
            .map(|(_, c)| &c["schema"])
            .ok_or_else(|| format!("media type {media} is not documented"))?;
        if !media.ends_with("json") {
            return Ok(());
        }
        let instance: Value =
            serde_json::from_slice(body).map_err(|e| format!("the body is not JSON: {e}"))?;
        let key = format!("{method} {template} {status} {media}");
        let validator = self.validator(&key, schema)?;
        let errors: Vec<String> = validator
            .iter_errors(&instance)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        if errors.is_empty() {
            Ok(())
        } else {
            Err(format!("the body breaks its schema: {}", errors.join("; ")))
        }
    }

    fn verify_headers(&self, response: &Value, headers: &HeaderMap) -> Result<(), String> {
        for name in HEADERS {
            let declared = response["headers"].get(name).map(|h| self.resolve(h));
            let sent = headers.contains_key(name);
            match declared {
                None if sent => return Err(format!("header {name} is sent but not documented")),
                Some(h) if !sent && h["required"] == true => {
                    return Err(format!("required header {name} is missing"))
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// A `$ref` to a component, resolved.
    fn resolve<'a>(&'a self, v: &'a Value) -> &'a Value {
        v.get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix('#'))
            .and_then(|p| self.doc.pointer(p))
            .unwrap_or(v)
    }

    /// The schema, compiled once, with the document's components to resolve its references.
    fn validator(&self, key: &str, schema: &Value) -> Result<Arc<jsonschema::Validator>, String> {
        let mut cache = self.validators.lock().unwrap();
        if let Some(v) = cache.get(key) {
            return Ok(v.clone());
        }
        let mut root = json!({ "components": self.doc["components"] });
        for (k, v) in schema.as_object().ok_or("a schema object")? {
            root[k] = v.clone();
        }
        let v = Arc::new(
            jsonschema::draft202012::new(&root).map_err(|e| format!("schema for {key}: {e}"))?,
        );
        cache.insert(key.to_string(), v.clone());
        Ok(v)
    }
}
