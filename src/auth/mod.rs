//! Sign-in: password hashing, bearer tokens and the `CurrentUser` extractor.

mod current_user;
pub mod password;
pub mod token;

pub use current_user::CurrentUser;
