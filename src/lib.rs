//! budget-monitor: budget performance monitoring (预算绩效运行监控) for trade-union federations.

pub mod app;
pub mod auth;
pub mod cli;
pub mod config;
pub mod delivery;
pub mod domain;
pub mod error;
pub mod http;
pub mod memory;
pub mod metrics;
pub mod otlp;
pub mod persistence;
pub mod report;
pub mod seed;
pub mod startup;
pub mod state;
pub mod telemetry;
