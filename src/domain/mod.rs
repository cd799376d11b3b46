//! The rules of budget performance monitoring, free of web and database concerns.

pub mod account;
pub mod api_client;
pub mod audit_chain;
pub mod client_addr;
pub mod counting;
pub mod date;
pub mod events;
pub mod follow_through;
pub mod indicator;
pub mod item;
pub mod money;
pub mod monitoring;
pub mod period;
pub mod submission;
pub mod text;
pub mod throttle;
pub mod unit;
pub mod validation;
pub mod webhooks;
pub mod workflow;

pub use date::IsoDate;
pub use money::{Amount, AmountError, FundSplit, Total};
pub use validation::{FieldError, Violations};

/// Declares a closed set of snake_case values with `as_str`, `FromStr` and serde in one place.
#[macro_export]
macro_rules! closed_enum {
    ($(#[$meta:meta])* $vis:vis enum $name:ident { $($(#[$vmeta:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        $vis enum $name { $($(#[$vmeta])* #[serde(rename = $text)] $variant),+ }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The value as written in JSON and in the database.
            pub fn as_str(&self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl std::str::FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($text => Ok($name::$variant),)+
                    _ => Err(format!(
                        "must be one of: {}",
                        [$($text),+].join(", ")
                    )),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
