//! Who may open a page, as extractors: a handler that takes `Owner` cannot
//! run for anyone else. Signed-out visitors are sent to the sign-in page.

use super::ctx::{SessionUser, current_user, flash_if_session_ended};
use super::errors::AppError;
use crate::domain::ids::CompanyId;
use crate::domain::status::Role;
use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};
use futures_util::future::LocalBoxFuture;

/// Pages a user who must change their password may still open.
const ALLOWED_BEFORE_PASSWORD_CHANGE: &[&str] = &["/account/password", "/logout"];

async fn signed_in(req: &HttpRequest) -> Result<SessionUser, AppError> {
    let Some(user) = current_user(req).await? else {
        flash_if_session_ended(req);
        return Err(AppError::LoginRequired {
            next: match req.query_string() {
                "" => req.path().to_owned(),
                query => format!("{}?{}", req.path(), query),
            },
        });
    };
    if user.must_change_password && !ALLOWED_BEFORE_PASSWORD_CHANGE.contains(&req.path()) {
        return Err(AppError::PasswordChangeRequired);
    }
    Ok(user)
}

macro_rules! user_extractor {
    ($(#[$doc:meta])* $name:ident, |$user:ident| $allowed:expr) => {
        $(#[$doc])*
        pub struct $name(pub SessionUser);

        impl FromRequest for $name {
            type Error = AppError;
            type Future = LocalBoxFuture<'static, Result<$name, AppError>>;

            fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
                let req = req.clone();
                Box::pin(async move {
                    let $user = signed_in(&req).await?;
                    if $allowed {
                        Ok($name($user))
                    } else {
                        Err(AppError::Forbidden)
                    }
                })
            }
        }
    };
}

user_extractor!(
    /// Anyone signed in.
    SignedIn,
    |user| true
);

user_extractor!(
    /// A member of a seller company (any company role).
    Member,
    |user| user.company_id.is_some()
);

user_extractor!(
    /// The owner of a seller company.
    Owner,
    |user| user.role == Role::Owner && user.company_id.is_some()
);

user_extractor!(
    /// Platform staff: operator or admin.
    Staff,
    |user| user.role.is_staff()
);

user_extractor!(
    /// The platform admin.
    Admin,
    |user| user.role == Role::Admin
);

impl Member {
    pub fn company(&self) -> Result<CompanyId, AppError> {
        self.0.company_id.ok_or(AppError::Forbidden)
    }
}

impl Owner {
    pub fn company(&self) -> Result<CompanyId, AppError> {
        self.0.company_id.ok_or(AppError::Forbidden)
    }
}
