//! The conversions between a wire type and the domain type it shows, written from one field
//! list: the wire type carries the schema and the serde rules, the domain type the meaning,
//! and their fields have the same names.

/// `From` between types whose fields have the same names, from one list of the target's fields:
/// `same_fields!(A => B { .. })` converts `A` into `B`, `same_fields!(both A, B { .. })` also
/// `B` into `A`. A field `name` moves as it is; `name: f` converts it with `f`, e.g. `Into::into`
/// or [`all`] (in both directions alike).
macro_rules! same_fields {
    (@field $value:expr) => {
        $value
    };
    (@field $value:expr, $convert:expr) => {
        ($convert)($value)
    };
    (both $a:ty, $b:ty { $($fields:tt)* }) => {
        $crate::http::same_fields::same_fields!($a => $b { $($fields)* });
        $crate::http::same_fields::same_fields!($b => $a { $($fields)* });
    };
    ($from:ty => $to:ty { $($field:ident $(: $convert:expr)?),* $(,)? }) => {
        impl From<$from> for $to {
            fn from(v: $from) -> Self {
                Self {
                    $($field: $crate::http::same_fields::same_fields!(@field v.$field $(, $convert)?),)*
                }
            }
        }
    };
}

pub(crate) use same_fields;

/// Each element converted: a list field of [`same_fields!`].
pub fn all<A, B: From<A>>(v: Vec<A>) -> Vec<B> {
    v.into_iter().map(B::from).collect()
}
