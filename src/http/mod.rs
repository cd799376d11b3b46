//! The HTTP API: one module per resource, each with its request/response types, handlers and
//! `configure()`; the OpenAPI document is collected from the same registration.

pub mod adjustments;
pub mod audit;
pub mod auth;
pub mod client_addr;
pub mod clients;
pub mod corrective_actions;
pub mod denied;
pub mod events;
pub mod extract;
pub mod fallback;
pub mod head;
pub mod health;
pub mod indicators;
pub mod item_life;
pub mod items;
pub mod json_stream;
pub mod json_text;
pub mod measure_view;
pub mod measures;
pub mod metrics;
pub mod periods;
pub mod reports;
pub mod request_id;
pub mod respond;
pub mod same_fields;
pub mod spec;
pub mod strict_query;
pub mod submissions;
pub mod target_change;
pub mod text_schema;
pub mod token_request;
pub mod units;
pub mod upload;
pub mod users;
pub mod webhooks;

use utoipa_actix_web::scope;
use utoipa_actix_web::service_config::ServiceConfig;

pub use spec::{document, openapi, openapi_json};

/// Everything under `/api/v1`. The routes are grouped in scopes by their first segment: a
/// request is matched against its own group's routes only, each a pattern tried in turn, where
/// a single list would try every route before it.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.configure(auth::configure)
        .service(scope("/users").configure(users::configure))
        .service(scope("/clients").configure(clients::configure))
        .service(scope("/units").configure(units::configure))
        .service(
            scope("/periods")
                .configure(periods::configure)
                .configure(reports::configure),
        )
        .service(
            scope("/submissions")
                .configure(submissions::import::configure)
                .configure(submissions::configure),
        )
        .service(
            scope("/items")
                .configure(submissions::import::configure_template)
                .configure(items::configure)
                .configure(indicators::configure)
                .configure(item_life::configure),
        )
        .service(scope("/corrective-actions").configure(corrective_actions::configure))
        .service(scope("/adjustment-requests").configure(adjustments::configure))
        .service(scope("/measures").configure(measures::configure))
        .configure(audit::configure)
        .configure(events::configure)
        .service(scope("/webhooks").configure(webhooks::configure));
}
