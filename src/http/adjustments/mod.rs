//! `/adjustment-requests` (Art. 13): a unit explains an objective cause and proposes a new
//! budget and/or targets; finance approves (applied at once, in one transaction) or rejects.

mod dto;
mod handlers;

pub use dto::{
    AdjustmentListQuery, AdjustmentResponse, CreateAdjustmentRequest, OptionalReason, ReasonRequest,
};
pub use handlers::configure;
