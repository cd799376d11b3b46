//! `/periods`: monitoring periods (监控期), their actions, deadline extensions and the
//! completeness list finance chases before the report.

mod dto;
mod handlers;

use utoipa_actix_web::service_config::ServiceConfig;

pub use dto::*;
pub use handlers::*;

pub use crate::app::access::period as get_period_or_404;
pub use crate::persistence::submissions::CompletenessRow;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create_period)
        .service(list_periods)
        .service(get_period)
        .service(update_period)
        .service(open_period)
        .service(close_period)
        .service(publish_period)
        .service(create_extension)
        .service(list_extensions)
        .service(get_completeness);
}
