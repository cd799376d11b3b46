//! `/items`: the monitored objects of a unit and year (DESIGN §2). A reporter works on its own
//! unit's items; finance on any, and alone designates key monitoring (Art. 10).

mod dto;
mod handlers;

use utoipa_actix_web::service_config::ServiceConfig;

pub use dto::{
    CopiedItem, CopyItemRequest, CreateItemRequest, ItemListQuery, ItemResponse,
    KeyMonitoringRequest, UpdateItemRequest,
};
pub use handlers::*;

pub use crate::app::access::{require_item_writer, visible_item};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create_item)
        .service(list_items)
        .service(get_item)
        .service(update_item)
        .service(set_key_monitoring)
        .service(copy_item);
}
