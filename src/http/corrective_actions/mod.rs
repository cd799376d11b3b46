//! `/corrective-actions`: 纠偏措施 (Art. 11, 12). A unit opens and works on its own; finance
//! verifies or reopens them, and opens rectification orders (督促整改) on any unit.

mod dto;
mod handlers;

pub use dto::{
    ActionListQuery, ActionNote, CorrectiveActionResponse, CreateActionRequest, NoteRequest,
    OptionalNote,
};
pub use handlers::configure;
