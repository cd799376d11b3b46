//! Sign-in: password hashing, bearer tokens and the `CurrentUser` extractor.

pub mod password;
pub mod token;
mod current_user;

pub use current_user::CurrentUser;
