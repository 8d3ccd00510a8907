//! Root mutations, merged from one object per area.

mod admin;
mod assessment;
pub mod auth;
mod evidence;
mod follow_up;
mod import;
mod office;
mod policy;
mod webhooks;

pub use admin::AdminMutation;
pub use assessment::AssessmentMutation;
pub use auth::AuthMutation;
pub use evidence::EvidenceMutation;
pub use follow_up::FollowUpMutation;
pub use import::ImportMutation;
pub use office::OfficeMutation;
pub use policy::PolicyMutation;
pub use webhooks::WebhookMutation;

/// The root mutation.
#[derive(async_graphql::MergedObject, Default)]
pub struct Mutation(
    AuthMutation,
    AdminMutation,
    ImportMutation,
    FollowUpMutation,
    EvidenceMutation,
    OfficeMutation,
    AssessmentMutation,
    PolicyMutation,
    WebhookMutation,
);
