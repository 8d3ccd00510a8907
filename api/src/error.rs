//! The one error type of duban, with the stable codes clients branch on.
//!
//! Every error that reaches a client goes through [`AppError::extend`] (via
//! [`async_graphql::ErrorExtensions`]), so it carries `extensions.code`. Internal errors are
//! logged here with their whole cause chain and reach the client only as a generic `INTERNAL`.

use async_graphql::ErrorExtensions;
use sea_orm::DbErr;

/// What went wrong, as far as a client is allowed to know.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// No identity, or a token that could not be verified.
    #[error("authentication required")]
    Unauthenticated,
    /// A sign-in with a username and password that do not match an active account (which of
    /// the two is wrong is not said); the code is `UNAUTHENTICATED`, `extensions.reason`
    /// `WRONG_CREDENTIALS`.
    #[error("the username or password is wrong")]
    WrongCredentials,
    /// The viewer is known but may not do this.
    #[error("not allowed: {0}")]
    Forbidden(&'static str),
    /// The thing asked for does not exist (or is not visible to the viewer).
    #[error("{0} not found")]
    NotFound(&'static str),
    /// The input is invalid; the message says why in terms the client sent.
    #[error("{0}")]
    BadInput(String),
    /// The input is refused for a reason a client can switch on (`extensions.reason`), such as
    /// `FILE_TOO_LARGE`; the code is `BAD_USER_INPUT`.
    #[error("{message}")]
    Refused { reason: &'static str, message: String },
    /// The write conflicts with the current state (stale version, duplicate).
    #[error("{0}")]
    Conflict(String),
    /// The state machine of a task or of a unit's part refuses this transition now.
    #[error("{0}")]
    InvalidState(String),
    /// Too many attempts; try again later.
    #[error("too many attempts, retry in {retry_after_secs} s")]
    RateLimited { retry_after_secs: u64 },
    /// Anything else. The cause is logged, never sent.
    #[error("internal error")]
    Internal(#[source] anyhow::Error),
}

impl AppError {
    /// The stable `extensions.code`.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::Unauthenticated | AppError::WrongCredentials => "UNAUTHENTICATED",
            AppError::Forbidden(_) => "FORBIDDEN",
            AppError::NotFound(_) => "NOT_FOUND",
            AppError::BadInput(_) | AppError::Refused { .. } => "BAD_USER_INPUT",
            AppError::Conflict(_) => "CONFLICT",
            AppError::InvalidState(_) => "INVALID_STATE",
            AppError::RateLimited { .. } => "RATE_LIMITED",
            AppError::Internal(_) => "INTERNAL",
        }
    }

    /// Shorthand for [`AppError::BadInput`].
    pub fn bad_input(message: impl Into<String>) -> Self {
        AppError::BadInput(message.into())
    }

    /// Wraps any error as internal.
    pub fn internal(error: impl Into<anyhow::Error>) -> Self {
        AppError::Internal(error.into())
    }

    /// For the command line and start-up, where the operator reads the message: an internal
    /// error keeps its whole cause chain (never sent to a GraphQL client), any other error is
    /// its own message.
    pub fn into_anyhow(self) -> anyhow::Error {
        match self {
            AppError::Internal(cause) => cause,
            other => anyhow::anyhow!("{other}"),
        }
    }
}

impl From<DbErr> for AppError {
    /// A unique constraint the domain checked before writing can still be hit by a request
    /// that wrote in between: that is a conflict with the other request, not a fault.
    fn from(error: DbErr) -> Self {
        match error.sql_err() {
            Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => {
                AppError::Conflict("another request wrote the same thing at the same time; reload and try again".into())
            }
            _ => AppError::Internal(error.into()),
        }
    }
}

impl From<anyhow::Error> for AppError {
    fn from(error: anyhow::Error) -> Self {
        AppError::Internal(error)
    }
}

impl ErrorExtensions for AppError {
    fn extend(&self) -> async_graphql::Error {
        if let AppError::Internal(cause) = self {
            tracing::error!(error = format!("{cause:#}"), "internal error");
        }
        async_graphql::Error::new(self.to_string()).extend_with(|_, e| {
            e.set("code", self.code());
            match self {
                AppError::RateLimited { retry_after_secs } => e.set("retryAfter", *retry_after_secs),
                AppError::Refused { reason, .. } => e.set("reason", *reason),
                AppError::WrongCredentials => e.set("reason", "WRONG_CREDENTIALS"),
                _ => {}
            }
        })
    }
}

/// Result of domain functions.
pub type AppResult<T> = Result<T, AppError>;

/// Converts domain results into GraphQL results that always carry a code.
pub trait IntoGql<T> {
    /// Maps the error through [`ErrorExtensions::extend`].
    fn gql(self) -> async_graphql::Result<T>;
}

impl<T> IntoGql<T> for AppResult<T> {
    fn gql(self) -> async_graphql::Result<T> {
        self.map_err(|e| e.extend())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_sees_the_cause_of_an_internal_error() {
        let error = AppError::internal(anyhow::anyhow!("disk full").context("cannot write the plan"));
        let printed = format!("{:#}", error.into_anyhow());
        assert!(printed.contains("cannot write the plan") && printed.contains("disk full"), "{printed}");
        assert_eq!(AppError::bad_input("no rows").into_anyhow().to_string(), "no rows");
    }

    #[test]
    fn internal_errors_send_a_generic_message_and_code() {
        let err = AppError::from(DbErr::Custom("relation \"secret_table\" at /var/db".into())).extend();
        assert_eq!(err.message, "internal error");
        let code = err.extensions.as_ref().and_then(|e| e.get("code")).cloned();
        assert_eq!(code, Some(async_graphql::Value::from("INTERNAL")));
    }

    #[test]
    fn every_variant_has_a_code() {
        let codes: Vec<_> = [
            AppError::Unauthenticated,
            AppError::Forbidden("x"),
            AppError::NotFound("task"),
            AppError::bad_input("x"),
            AppError::Conflict("x".into()),
            AppError::InvalidState("x".into()),
            AppError::RateLimited { retry_after_secs: 1 },
        ]
        .iter()
        .map(AppError::code)
        .collect();
        assert_eq!(
            codes,
            [
                "UNAUTHENTICATED",
                "FORBIDDEN",
                "NOT_FOUND",
                "BAD_USER_INPUT",
                "CONFLICT",
                "INVALID_STATE",
                "RATE_LIMITED"
            ]
        );
    }
}
