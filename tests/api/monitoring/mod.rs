//! The H1 cycle: periods, items, indicators, forms and their review.

mod access;
mod cycle;
mod periods;
