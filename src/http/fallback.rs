//! Answers for requests no handler takes: 405 with `Allow` when the path exists with other
//! methods, 404 otherwise, both as problem+json.

use actix_web::{web, HttpRequest};

use crate::error::{ApiError, ErrorCode};

/// The documented paths and their methods, from the OpenAPI document.
pub struct RouteTable(Vec<(Vec<String>, Vec<String>)>);

impl RouteTable {
    pub fn from_openapi(doc: &utoipa::openapi::OpenApi) -> Self {
        let json = serde_json::to_value(&doc.paths).unwrap_or_default();
        let mut routes = vec![];
        if let Some(paths) = json
            .get("paths")
            .and_then(|p| p.as_object())
            .or(json.as_object())
        {
            for (path, item) in paths {
                let methods: Vec<String> = item
                    .as_object()
                    .map(|o| {
                        o.keys()
                            .filter(|k| {
                                matches!(
                                    k.as_str(),
                                    "get"
                                        | "post"
                                        | "put"
                                        | "patch"
                                        | "delete"
                                        | "head"
                                        | "options"
                                )
                            })
                            .map(|k| k.to_uppercase())
                            .collect()
                    })
                    .unwrap_or_default();
                let segs = path.split('/').map(str::to_string).collect();
                routes.push((segs, methods));
            }
        }
        RouteTable(routes)
    }

    /// The methods a path answers, if it is a known path: those of the documented path with
    /// the most literal segments that matches it (`/submissions/import` before
    /// `/submissions/{id}`).
    pub fn allowed(&self, path: &str) -> Option<Vec<String>> {
        let segs: Vec<&str> = path.split('/').collect();
        let matching: Vec<(usize, &Vec<String>)> = self
            .0
            .iter()
            .filter_map(|(p, m)| super::strict_query::literal_match(p, &segs).map(|n| (n, m)))
            .collect();
        let best = matching.iter().map(|(n, _)| *n).max()?;
        let mut m: Vec<String> = matching
            .into_iter()
            .filter(|(n, _)| *n == best)
            .flat_map(|(_, m)| m.iter().cloned())
            .collect();
        if m.contains(&"GET".to_string()) {
            m.push("HEAD".into());
        }
        m.sort();
        m.dedup();
        Some(m)
    }
}

pub async fn not_found_or_not_allowed(
    req: HttpRequest,
    table: web::Data<RouteTable>,
) -> Result<actix_web::HttpResponse, ApiError> {
    match table.allowed(req.path()) {
        Some(methods) if !methods.is_empty() => {
            Err(ApiError::method_not_allowed(methods.join(", ")))
        }
        _ => Err(ApiError::new(
            ErrorCode::RouteNotFound,
            format!("no route {} {}", req.method(), req.path()),
        )),
    }
}
