//! The closed set of problem codes: each with its HTTP status and title.

use actix_web::http::StatusCode;
use serde::Serialize;
use utoipa::ToSchema;

/// The closed set of machine-readable error codes. Codes are never renamed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    ValidationFailed,
    MalformedJson,
    UnsupportedMediaType,
    PayloadTooLarge,
    InvalidPathParameter,
    InvalidQueryParameter,
    InvalidHeader,
    MissingToken,
    InvalidToken,
    InvalidCredentials,
    Forbidden,
    NotFound,
    RouteNotFound,
    MethodNotAllowed,
    Conflict,
    /// A status change the resource's status machine does not allow (e.g. submit an accepted
    /// form, lift a lifted measure).
    InvalidTransition,
    /// Something unique already exists (a code, a username, one form per item and period).
    AlreadyExists,
    /// What the request changes can no longer change (a budget once a form was submitted, a
    /// published period, a form under review).
    Locked,
    /// The period does not take forms now (not open).
    PeriodNotOpen,
    PreconditionRequired,
    PreconditionFailed,
    IdempotencyKeyReused,
    IdempotencyKeyInFlight,
    LoginThrottled,
    DatabaseUnavailable,
    InternalError,
    /// An upload is not an XLSX workbook.
    NotXlsx,
    /// An uploaded workbook is protected with a password.
    WorkbookEncrypted,
    /// An uploaded XLSX workbook cannot be read.
    WorkbookDamaged,
    /// An uploaded workbook is not a form template of this service, or matches no item.
    NotAFormTemplate,
    /// A change-feed cursor whose next events were deleted by the retention: read again from
    /// the oldest event kept.
    CursorExpired,
    /// OAuth 2.0 (RFC 6749 §5.2): the client credentials of a token request are wrong, or name
    /// a disabled or expired client, or none were sent.
    InvalidClient,
    /// OAuth 2.0 (RFC 6749 §5.2): a token request lacks a parameter or repeats one.
    InvalidRequest,
    /// OAuth 2.0 (RFC 6749 §5.2): a form-encoded token request asks for a grant other than
    /// `client_credentials`.
    UnsupportedGrantType,
}

impl ErrorCode {
    pub fn as_str(&self) -> &'static str {
        match self {
            ErrorCode::ValidationFailed => "validation_failed",
            ErrorCode::MalformedJson => "malformed_json",
            ErrorCode::UnsupportedMediaType => "unsupported_media_type",
            ErrorCode::PayloadTooLarge => "payload_too_large",
            ErrorCode::InvalidPathParameter => "invalid_path_parameter",
            ErrorCode::InvalidQueryParameter => "invalid_query_parameter",
            ErrorCode::InvalidHeader => "invalid_header",
            ErrorCode::MissingToken => "missing_token",
            ErrorCode::InvalidToken => "invalid_token",
            ErrorCode::InvalidCredentials => "invalid_credentials",
            ErrorCode::Forbidden => "forbidden",
            ErrorCode::NotFound => "not_found",
            ErrorCode::RouteNotFound => "route_not_found",
            ErrorCode::MethodNotAllowed => "method_not_allowed",
            ErrorCode::Conflict => "conflict",
            ErrorCode::InvalidTransition => "invalid_transition",
            ErrorCode::AlreadyExists => "already_exists",
            ErrorCode::Locked => "locked",
            ErrorCode::PeriodNotOpen => "period_not_open",
            ErrorCode::PreconditionRequired => "precondition_required",
            ErrorCode::PreconditionFailed => "precondition_failed",
            ErrorCode::IdempotencyKeyReused => "idempotency_key_reused",
            ErrorCode::IdempotencyKeyInFlight => "idempotency_key_in_flight",
            ErrorCode::LoginThrottled => "login_throttled",
            ErrorCode::DatabaseUnavailable => "database_unavailable",
            ErrorCode::InternalError => "internal_error",
            ErrorCode::NotXlsx => "not_xlsx",
            ErrorCode::WorkbookEncrypted => "workbook_encrypted",
            ErrorCode::WorkbookDamaged => "workbook_damaged",
            ErrorCode::NotAFormTemplate => "not_a_form_template",
            ErrorCode::CursorExpired => "cursor_expired",
            ErrorCode::InvalidClient => "invalid_client",
            ErrorCode::InvalidRequest => "invalid_request",
            ErrorCode::UnsupportedGrantType => "unsupported_grant_type",
        }
    }

    pub fn status(&self) -> StatusCode {
        match self {
            ErrorCode::ValidationFailed => StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::MalformedJson
            | ErrorCode::InvalidPathParameter
            | ErrorCode::InvalidQueryParameter
            | ErrorCode::InvalidHeader => StatusCode::BAD_REQUEST,
            ErrorCode::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ErrorCode::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ErrorCode::MissingToken
            | ErrorCode::InvalidToken
            | ErrorCode::InvalidCredentials
            | ErrorCode::InvalidClient => StatusCode::UNAUTHORIZED,
            ErrorCode::InvalidRequest | ErrorCode::UnsupportedGrantType => StatusCode::BAD_REQUEST,
            ErrorCode::Forbidden => StatusCode::FORBIDDEN,
            ErrorCode::NotFound | ErrorCode::RouteNotFound => StatusCode::NOT_FOUND,
            ErrorCode::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ErrorCode::Conflict
            | ErrorCode::InvalidTransition
            | ErrorCode::AlreadyExists
            | ErrorCode::Locked
            | ErrorCode::PeriodNotOpen
            | ErrorCode::IdempotencyKeyInFlight => StatusCode::CONFLICT,
            ErrorCode::PreconditionRequired => StatusCode::PRECONDITION_REQUIRED,
            ErrorCode::PreconditionFailed => StatusCode::PRECONDITION_FAILED,
            ErrorCode::IdempotencyKeyReused => StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::LoginThrottled => StatusCode::TOO_MANY_REQUESTS,
            ErrorCode::DatabaseUnavailable => StatusCode::SERVICE_UNAVAILABLE,
            ErrorCode::InternalError => StatusCode::INTERNAL_SERVER_ERROR,
            ErrorCode::NotXlsx => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ErrorCode::WorkbookDamaged => StatusCode::BAD_REQUEST,
            ErrorCode::WorkbookEncrypted | ErrorCode::NotAFormTemplate => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            ErrorCode::CursorExpired => StatusCode::GONE,
        }
    }

    /// The short human-readable summary of the problem type.
    pub fn title(&self) -> &'static str {
        match self {
            ErrorCode::ValidationFailed => "The request has invalid fields",
            ErrorCode::MalformedJson => "The request body is not valid JSON",
            ErrorCode::UnsupportedMediaType => "Unsupported media type",
            ErrorCode::PayloadTooLarge => "The request body is too large",
            ErrorCode::InvalidPathParameter => "Invalid path parameter",
            ErrorCode::InvalidQueryParameter => "Invalid query parameter",
            ErrorCode::InvalidHeader => "Invalid header",
            ErrorCode::MissingToken => "Authentication required",
            ErrorCode::InvalidToken => "Invalid or expired token",
            ErrorCode::InvalidCredentials => "Wrong username or password",
            ErrorCode::Forbidden => "Not allowed for your role",
            ErrorCode::NotFound => "Not found",
            ErrorCode::RouteNotFound => "No such route",
            ErrorCode::MethodNotAllowed => "Method not allowed",
            ErrorCode::Conflict => "Conflict with the current state",
            ErrorCode::InvalidTransition => "Not possible in the resource's status",
            ErrorCode::AlreadyExists => "It already exists",
            ErrorCode::Locked => "It can no longer change",
            ErrorCode::PeriodNotOpen => "The period is not open",
            ErrorCode::PreconditionRequired => "If-Match header required",
            ErrorCode::PreconditionFailed => "The resource was changed since you read it",
            ErrorCode::IdempotencyKeyReused => "Idempotency key reused with a different request",
            ErrorCode::IdempotencyKeyInFlight => {
                "A request with this idempotency key is in progress"
            }
            ErrorCode::LoginThrottled => "Too many failed logins",
            ErrorCode::DatabaseUnavailable => "Database unavailable",
            ErrorCode::InternalError => "Internal error",
            ErrorCode::NotXlsx => "The upload is not an XLSX workbook",
            ErrorCode::WorkbookEncrypted => "The workbook is protected with a password",
            ErrorCode::WorkbookDamaged => "The workbook is damaged",
            ErrorCode::NotAFormTemplate => "The workbook is not a form template",
            ErrorCode::CursorExpired => "The events after this cursor were deleted",
            ErrorCode::InvalidClient => "Client authentication failed",
            ErrorCode::InvalidRequest => "The token request is incomplete",
            ErrorCode::UnsupportedGrantType => "Unsupported grant type",
        }
    }

    /// Whether this is an error of the OAuth 2.0 token endpoint (RFC 6749 §5.2), answered as
    /// `application/json` with `error` and `error_description` beside the problem's members.
    pub fn is_oauth(&self) -> bool {
        matches!(
            self,
            ErrorCode::InvalidClient | ErrorCode::InvalidRequest | ErrorCode::UnsupportedGrantType
        )
    }
}
