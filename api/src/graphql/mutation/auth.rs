//! Signing in, one's own password and sessions, and (admins) accounts and service tokens.

use crate::domain::users::{NewUser, UserChanges};
use crate::domain::{service_tokens, sessions, users};
use crate::error::IntoGql;
use crate::graphql::context::{self, parse_id, parse_opt_id};
use crate::graphql::scalars::DateTime;
use crate::graphql::types::User;
use crate::graphql::types::enums::UserRole;
use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, Result, SimpleObject};
use entity::service_token;

#[derive(Default)]
pub struct AuthMutation;

/// A signed-in session.
#[derive(SimpleObject)]
pub struct AuthPayload {
    /// Bearer token for `Authorization: Bearer <token>`.
    pub token: String,
    /// When the token stops working.
    pub expires_at: DateTime,
    /// The account signed in.
    pub user: User,
}

impl From<sessions::Session> for AuthPayload {
    fn from(s: sessions::Session) -> Self {
        AuthPayload { token: s.token, expires_at: DateTime(s.expires_at), user: User(s.user) }
    }
}

/// A new account.
#[derive(InputObject)]
pub struct CreateUserInput {
    /// Login name (stored lower-case).
    pub username: String,
    /// At least 10 characters.
    pub password: String,
    /// What the account may do.
    pub role: UserRole,
    /// The UNIT a DEPARTMENT or SERVICE account acts for.
    pub department_id: Option<ID>,
}

/// Changes to an account; omitted fields stay as they are. Changing either revokes every
/// credential of the account: its session tokens and its service tokens.
#[derive(InputObject)]
pub struct UpdateUserInput {
    /// New role.
    pub role: Option<UserRole>,
    /// New unit; null clears it.
    pub department_id: MaybeUndefined<ID>,
}

pub struct ServiceToken(pub service_token::Model);

/// A service token's record (never its secret).
#[Object]
impl ServiceToken {
    /// Stable identifier.
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// What the token is for.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// When it was issued.
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }
    /// When it was revoked; null while it works.
    async fn revoked_at(&self) -> Option<DateTime> {
        self.0.revoked_at.map(DateTime)
    }
}

/// A newly issued service token: the secret is shown here once and never again.
#[derive(SimpleObject)]
pub struct ServiceTokenPayload {
    /// The bearer secret (`dbn_svc_…`). Store it now: duban keeps only its hash.
    pub token: String,
    /// The token's record.
    pub service_token: ServiceToken,
}

/// Account and session mutations.
#[Object]
impl AuthMutation {
    /// Signs in. Unknown user and wrong password give the same UNAUTHENTICATED error;
    /// repeated failures are throttled (RATE_LIMITED).
    async fn login(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The login name.")] username: String,
        #[graphql(desc = "The account's password.")] password: String,
    ) -> Result<AuthPayload> {
        let (db, caller, auth) = (context::db(ctx), context::caller(ctx), context::auth(ctx));
        Ok(sessions::login(db, caller, auth, &username, &password).await.gql()?.into())
    }

    /// Changes one's own password (the old one is required). Every older token stops
    /// working; the new session is returned. Wrong old passwords are throttled as failed logins
    /// of the account are (RATE_LIMITED with `retryAfter`, even for the right one meanwhile).
    async fn change_password(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The current password.")] old_password: String,
        #[graphql(desc = "The new password, at least 10 characters.")] new_password: String,
    ) -> Result<AuthPayload> {
        let (db, caller, auth) = (context::db(ctx), context::caller(ctx), context::auth(ctx));
        let session = sessions::change_password(db, caller, auth, &old_password, &new_password).await.gql()?;
        Ok(session.into())
    }

    /// Revokes every token of the signed-in account, this one included.
    async fn logout_everywhere(&self, ctx: &Context<'_>) -> Result<bool> {
        sessions::logout_everywhere(context::db(ctx), context::caller(ctx)).await.gql()?;
        Ok(true)
    }

    /// Creates an account (admin).
    async fn create_user(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new account.")] input: CreateUserInput,
    ) -> Result<User> {
        let new = NewUser {
            username: input.username,
            password: input.password,
            role: input.role.into(),
            department_id: parse_opt_id(input.department_id.as_ref()).gql()?,
        };
        Ok(User(users::create(context::db(ctx), context::caller(ctx), new).await.gql()?))
    }

    /// Changes an account's role or unit (admin).
    async fn update_user(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The account.")] id: ID,
        #[graphql(desc = "The account's new role or unit.")] input: UpdateUserInput,
    ) -> Result<User> {
        let department_id = match input.department_id {
            MaybeUndefined::Undefined => None,
            MaybeUndefined::Null => Some(None),
            MaybeUndefined::Value(id) => Some(Some(parse_id(&id).gql()?)),
        };
        let changes = UserChanges { role: input.role.map(Into::into), department_id };
        Ok(User(users::update(context::db(ctx), context::caller(ctx), parse_id(&id).gql()?, changes).await.gql()?))
    }

    /// Deactivates an account (admin); its tokens stop working at once.
    async fn deactivate_user(&self, ctx: &Context<'_>, #[graphql(desc = "The account.")] id: ID) -> Result<User> {
        Ok(User(users::deactivate(context::db(ctx), context::caller(ctx), parse_id(&id).gql()?).await.gql()?))
    }

    /// Sets a new password for an account (admin); its tokens stop working.
    async fn reset_password(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The account.")] id: ID,
        #[graphql(desc = "The new password, at least 10 characters.")] new_password: String,
    ) -> Result<User> {
        let id = parse_id(&id).gql()?;
        Ok(User(users::reset_password(context::db(ctx), context::caller(ctx), id, &new_password).await.gql()?))
    }

    /// Issues a service token for a SERVICE account (admin). The secret is returned once.
    async fn create_service_token(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The SERVICE account the token acts as.")] user_id: ID,
        #[graphql(desc = "What the token is for.")] name: String,
    ) -> Result<ServiceTokenPayload> {
        let user_id = parse_id(&user_id).gql()?;
        let (token, model) =
            service_tokens::issue(context::db(ctx), context::caller(ctx), user_id, &name).await.gql()?;
        Ok(ServiceTokenPayload { token, service_token: ServiceToken(model) })
    }

    /// Revokes a service token (admin); it stops working at once.
    async fn revoke_service_token(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The service token.")] id: ID,
    ) -> Result<ServiceToken> {
        let id = parse_id(&id).gql()?;
        Ok(ServiceToken(service_tokens::revoke(context::db(ctx), context::caller(ctx), id).await.gql()?))
    }
}
