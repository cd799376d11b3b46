//! `/measures` (Art. 12, 14): finance's decisions on an item. Suspend and stop set the item's
//! payment status until lifted; adjustments apply like an approved request; a rectification
//! opens a corrective action; a budget reference is kept for next year's budget.

mod dto;
mod handlers;

pub use dto::{
    to_response, CreateMeasureRequest, LiftRequest, MeasureListQuery, MeasureResponse,
    RectificationOrder,
};
pub use handlers::configure;
