//! Black-box API tests: each test starts the real application on port 0 over a fresh database
//! (a new SQLite file, or a new PostgreSQL database when TEST_DATABASE_URL is set).

mod contract;
mod helpers;

mod audit;
mod audit_chain;
mod auth;
mod clients;
mod concurrency;
mod cors;
mod denied;
mod deploy;
mod errors;
mod events;
mod follow_through;
mod idempotency;
mod import;
mod item_kinds;
mod logs;
mod metrics;
mod money;
mod monitoring;
mod monitoring_rules;
mod oidc;
mod openapi;
mod outage;

mod follow_rules;
mod item_rules;
mod office;
mod operations;
mod period_writes;
mod printing;
mod province;
mod races;
mod readme;
mod report;
mod report_docx;
mod request_ids;
mod seed;
mod storage;
mod strict;
mod submission_rules;
mod text;
mod throttle;
mod tokens;
mod traces;
mod units;
mod users;
mod verify_webhook;
mod webhooks;
mod workbook;
mod xlsx_fill;
