//! Query strings: an operation takes only the query parameters its OpenAPI description lists
//! (anything else is 400 `invalid_query_parameter` naming it), and a value follows the text
//! rule of every field (422 naming the parameter). The allowed names come from the same
//! document clients read, so the two cannot drift apart.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{web, Error, ResponseError};

use crate::domain::{text, FieldError};
use crate::error::{ApiError, ErrorCode};

/// One documented operation: its path split in segments, its method and its query parameters.
struct Rule {
    segments: Vec<String>,
    method: String,
    params: Vec<String>,
}

/// The query parameters of every documented operation.
pub struct QueryRules(Vec<Rule>);

const METHODS: [&str; 7] = ["get", "post", "put", "patch", "delete", "head", "options"];

impl QueryRules {
    /// Reads the operations of the OpenAPI document served to clients ([`super::document`]).
    pub fn from_document(doc: &serde_json::Value) -> Self {
        let mut rules = vec![];
        for (path, item) in doc["paths"].as_object().into_iter().flatten() {
            let shared = query_names(item.get("parameters"));
            for method in METHODS {
                let Some(op) = item.get(method) else { continue };
                let mut params = shared.clone();
                params.extend(query_names(op.get("parameters")));
                rules.push(Rule {
                    segments: path.split('/').map(str::to_string).collect(),
                    method: method.to_uppercase(),
                    params,
                });
            }
        }
        QueryRules(rules)
    }

    /// The parameters of the operation a request is for; `None` for an undocumented route or
    /// method. A literal segment beats a `{placeholder}` where two paths would both match: the
    /// path with the most literal segments owns the request, whatever its method.
    fn params(&self, method: &str, path: &str) -> Option<&[String]> {
        let method = if method == "HEAD" { "GET" } else { method };
        let segs: Vec<&str> = path.split('/').collect();
        let matching: Vec<(usize, &Rule)> = self
            .0
            .iter()
            .filter_map(|r| literal_match(&r.segments, &segs).map(|n| (n, r)))
            .collect();
        let best = matching.iter().map(|(n, _)| *n).max()?;
        matching
            .into_iter()
            .find(|(n, r)| *n == best && r.method == method)
            .map(|(_, r)| r.params.as_slice())
    }

    /// Checks a request's query string against its operation.
    pub fn check(&self, method: &str, path: &str, query: &str) -> Result<(), ApiError> {
        let Some(allowed) = self.params(method, path) else {
            return Ok(());
        };
        if query.is_empty() {
            return Ok(());
        }
        let pairs = web::Query::<Vec<(String, String)>>::from_query(query)
            .map_err(|e| {
                ApiError::new(
                    ErrorCode::InvalidQueryParameter,
                    format!("invalid query string: {e}"),
                )
            })?
            .into_inner();
        let mut unknown: Vec<&str> = vec![];
        for (name, _) in &pairs {
            if !allowed.contains(name) && !unknown.contains(&name.as_str()) {
                unknown.push(name);
            }
        }
        if !unknown.is_empty() {
            return Err(unknown_parameters(&unknown, allowed));
        }
        let errors: Vec<FieldError> = pairs
            .iter()
            .filter_map(|(name, value)| text::check(name, value).err())
            .collect();
        if errors.is_empty() {
            Ok(())
        } else {
            Err(ApiError::validation(errors))
        }
    }
}

/// How many literal segments of `pattern` a path matches, if it matches at all.
pub fn literal_match(pattern: &[String], segs: &[&str]) -> Option<usize> {
    if pattern.len() != segs.len() {
        return None;
    }
    let mut literal = 0;
    for (p, s) in pattern.iter().zip(segs) {
        if p == s {
            literal += 1;
        } else if !(p.starts_with('{') && p.ends_with('}') && !s.is_empty()) {
            return None;
        }
    }
    Some(literal)
}

fn query_names(params: Option<&serde_json::Value>) -> Vec<String> {
    params
        .and_then(|p| p.as_array())
        .into_iter()
        .flatten()
        .filter(|p| p["in"] == "query")
        .filter_map(|p| p["name"].as_str().map(str::to_string))
        .collect()
}

fn unknown_parameters(unknown: &[&str], allowed: &[String]) -> ApiError {
    let takes = if allowed.is_empty() {
        "this operation takes no query parameters".to_string()
    } else {
        format!("this operation takes: {}", allowed.join(", "))
    };
    let errors = unknown
        .iter()
        .map(|n| FieldError::new(*n, "unknown_parameter", takes.clone()))
        .collect();
    ApiError::Client {
        code: ErrorCode::InvalidQueryParameter,
        detail: format!("unknown query parameter: {}; {takes}", unknown.join(", ")),
        errors,
        retry_after: None,
        allow: None,
    }
}

/// Middleware: refuses a request whose query string its operation does not take.
pub async fn middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let verdict = req
        .app_data::<web::Data<QueryRules>>()
        .map(|rules| rules.check(req.method().as_str(), req.path(), req.query_string()));
    if let Some(Err(e)) = verdict {
        // Answered here, inside the request-id scope, so the problem carries the request id.
        let response = e.error_response();
        return Ok(req.into_response(response).map_into_right_body());
    }
    next.call(req)
        .await
        .map(ServiceResponse::map_into_left_body)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> QueryRules {
        let rule = |path: &str, method: &str, params: &[&str]| Rule {
            segments: path.split('/').map(str::to_string).collect(),
            method: method.into(),
            params: params.iter().map(|p| p.to_string()).collect(),
        };
        QueryRules(vec![
            rule("/api/v1/units", "GET", &["page", "per_page", "kind"]),
            rule("/api/v1/units/{id}", "GET", &[]),
            rule("/api/v1/audit-events/{id}", "GET", &["x"]),
            rule("/api/v1/audit-events/verify", "GET", &["from"]),
        ])
    }

    fn code(r: Result<(), ApiError>) -> Option<ErrorCode> {
        r.err().map(|e| e.code())
    }

    #[test]
    fn only_documented_parameters_pass() {
        let r = rules();
        let bad = Some(ErrorCode::InvalidQueryParameter);
        for (method, path, query, expected) in [
            ("GET", "/api/v1/units", "", None),
            ("GET", "/api/v1/units", "page=2&kind=department", None),
            ("HEAD", "/api/v1/units", "per_page=5", None),
            ("GET", "/api/v1/units", "bogus=1", bad),
            ("GET", "/api/v1/units", "perpage=10", bad),
            ("GET", "/api/v1/units", "page=1&PAGE=2", bad),
            ("GET", "/api/v1/units/5", "page=1", bad),
            ("GET", "/api/v1/audit-events/verify", "from=1", None),
            ("GET", "/api/v1/audit-events/verify", "x=1", bad),
            ("GET", "/api/v1/audit-events/7", "x=1", None),
            ("GET", "/docs/index.html", "anything=1", None),
            (
                "GET",
                "/api/v1/units",
                "kind=a%00b",
                Some(ErrorCode::ValidationFailed),
            ),
            ("GET", "/api/v1/units", "kind=a%09b", None),
        ] {
            assert_eq!(
                code(r.check(method, path, query)),
                expected,
                "{method} {path}?{query}"
            );
        }
    }

    #[test]
    fn the_answer_names_the_unknown_parameters() {
        match rules().check("GET", "/api/v1/units", "bogus=1&page=1&other=2") {
            Err(ApiError::Client { detail, errors, .. }) => {
                assert!(detail.contains("bogus, other"), "{detail}");
                let named: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
                assert_eq!(named, ["bogus", "other"]);
            }
            other => panic!("{other:?}"),
        }
    }
}
