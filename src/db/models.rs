//! Rows as diesel sees them: `X` (read), `NewX` (insert), `XChanges` (update).
//! Status columns are converted to their enums here via `deserialize_as`.

use super::schema::*;
use crate::domain::status::{ApplicationStatus, CompanyStatus, ModuleStatus, Role, UploadKind};
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Queryable, Identifiable, Clone, Debug)]
#[diesel(table_name = companies)]
pub struct Company {
    pub id: i64,
    pub name: String,
    #[diesel(deserialize_as = String)]
    pub status: CompanyStatus,
    pub reject_reason: Option<String>,
    pub name_zh: String,
    pub name_en: String,
    pub uscc: String,
    pub legal_rep_name: String,
    pub legal_rep_id: String,
    pub contact_phone: String,
    pub sender_name: String,
    pub sender_phone: String,
    pub sender_province: String,
    pub sender_city: String,
    pub sender_address: String,
    pub sender_postcode: String,
    pub licence_upload_id: Option<i64>,
    pub id_front_upload_id: Option<i64>,
    pub id_back_upload_id: Option<i64>,
    #[diesel(deserialize_as = String)]
    pub module_status: ModuleStatus,
    pub submitted_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub require_backup_route: bool,
    /// The sender in Latin letters, for papers read abroad (the invoice).
    pub sender_name_en: String,
    pub sender_address_en: String,
}

#[derive(Insertable)]
#[diesel(table_name = companies)]
pub struct NewCompany<'a> {
    pub name: &'a str,
    pub status: &'a str,
    pub module_status: &'a str,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// The verification data an owner submits; written in one update.
#[derive(AsChangeset)]
#[diesel(table_name = companies)]
pub struct CompanyVerificationChanges {
    pub status: String,
    pub reject_reason: Option<Option<String>>,
    pub name_zh: String,
    pub name_en: String,
    pub uscc: String,
    pub legal_rep_name: String,
    pub legal_rep_id: String,
    pub contact_phone: String,
    pub sender_name: String,
    pub sender_phone: String,
    pub sender_province: String,
    pub sender_city: String,
    pub sender_address: String,
    pub sender_postcode: String,
    pub sender_name_en: String,
    pub sender_address_en: String,
    pub licence_upload_id: Option<i64>,
    pub id_front_upload_id: Option<i64>,
    pub id_back_upload_id: Option<i64>,
    pub submitted_at: Option<NaiveDateTime>,
    pub updated_at: NaiveDateTime,
}

#[derive(Queryable, Identifiable, Clone, Debug)]
#[diesel(table_name = users)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub password_hash: String,
    pub display_name: String,
    #[diesel(deserialize_as = String)]
    pub role: Role,
    pub company_id: Option<i64>,
    pub disabled: bool,
    pub session_epoch: i64,
    pub must_change_password: bool,
    pub created_at: NaiveDateTime,
    pub monthly_budget_fen: Option<i64>,
}

#[derive(Insertable)]
#[diesel(table_name = users)]
pub struct NewUser<'a> {
    pub email: &'a str,
    pub password_hash: &'a str,
    pub display_name: &'a str,
    pub role: &'a str,
    pub company_id: Option<i64>,
    pub disabled: bool,
    pub session_epoch: i64,
    pub must_change_password: bool,
    pub created_at: NaiveDateTime,
}

#[derive(Queryable, Identifiable, Clone, Debug)]
#[diesel(table_name = uploads)]
pub struct Upload {
    pub id: i64,
    pub company_id: Option<i64>,
    pub uploaded_by: i64,
    #[diesel(deserialize_as = String)]
    pub kind: UploadKind,
    pub sha256: String,
    pub mime: String,
    pub size_bytes: i64,
    pub original_name: String,
    pub created_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = uploads)]
pub struct NewUpload<'a> {
    pub company_id: Option<i64>,
    pub uploaded_by: i64,
    pub kind: &'a str,
    pub sha256: &'a str,
    pub mime: &'a str,
    pub size_bytes: i64,
    pub original_name: &'a str,
    pub created_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = login_attempts)]
pub struct NewLoginAttempt<'a> {
    pub email: &'a str,
    pub ip: &'a str,
    pub outcome: &'a str,
    pub at: NaiveDateTime,
}

#[derive(Queryable, Identifiable, Clone, Debug)]
#[diesel(table_name = module_applications)]
pub struct ModuleApplication {
    pub id: i64,
    pub company_id: i64,
    #[diesel(deserialize_as = String)]
    pub status: ApplicationStatus,
    pub expected_monthly_parcels: i64,
    pub destinations: String,
    pub categories: String,
    pub agreement_version: String,
    pub accepted_by: i64,
    pub accepted_at: NaiveDateTime,
    pub accepted_ip: String,
    pub decided_by: Option<i64>,
    pub decided_at: Option<NaiveDateTime>,
    pub decision_reason: Option<String>,
}

#[derive(Insertable)]
#[diesel(table_name = module_applications)]
pub struct NewModuleApplication<'a> {
    pub company_id: i64,
    pub status: &'a str,
    pub expected_monthly_parcels: i64,
    pub destinations: &'a str,
    pub categories: &'a str,
    pub agreement_version: &'a str,
    pub accepted_by: i64,
    pub accepted_at: NaiveDateTime,
    pub accepted_ip: &'a str,
}

#[derive(Queryable, Identifiable, Clone, Debug)]
#[diesel(table_name = notifications)]
pub struct Notification {
    pub id: i64,
    pub user_id: i64,
    pub kind: String,
    pub detail: String,
    pub link: String,
    pub read_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = notifications)]
pub struct NewNotification<'a> {
    pub user_id: i64,
    pub kind: &'a str,
    pub detail: &'a str,
    pub link: &'a str,
    pub created_at: NaiveDateTime,
}

#[derive(Queryable, Identifiable, Clone, Debug)]
#[diesel(table_name = audit_log)]
pub struct AuditEntry {
    pub id: i64,
    pub at: NaiveDateTime,
    pub actor_id: Option<i64>,
    pub actor_email: String,
    pub company_id: Option<i64>,
    pub action: String,
    pub target_type: String,
    pub target_id: String,
    pub detail: String,
    pub ip: String,
}

#[derive(Insertable)]
#[diesel(table_name = audit_log)]
pub struct NewAuditEntry<'a> {
    pub at: NaiveDateTime,
    pub actor_id: Option<i64>,
    pub actor_email: &'a str,
    pub company_id: Option<i64>,
    pub action: &'a str,
    pub target_type: &'a str,
    pub target_id: &'a str,
    pub detail: &'a str,
    pub ip: &'a str,
}

#[derive(Queryable, Identifiable, Clone, Debug)]
#[diesel(table_name = invitations)]
pub struct Invitation {
    pub id: i64,
    pub company_id: i64,
    pub email: String,
    #[diesel(deserialize_as = String)]
    pub role: Role,
    pub token_sha256: String,
    pub invited_by: i64,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub accepted_at: Option<NaiveDateTime>,
    pub accepted_user_id: Option<i64>,
    pub revoked_at: Option<NaiveDateTime>,
}

impl Invitation {
    /// Where the invitation stands at `now`: pending, accepted, revoked or expired.
    pub fn state(&self, now: NaiveDateTime) -> &'static str {
        if self.accepted_at.is_some() {
            "accepted"
        } else if self.revoked_at.is_some() {
            "revoked"
        } else if self.expires_at < now {
            "expired"
        } else {
            "pending"
        }
    }
}

#[derive(Queryable, Insertable, AsChangeset, Clone, Debug)]
#[diesel(table_name = approval_policies, treat_none_as_null = true)]
pub struct ApprovalPolicyRow {
    pub company_id: i64,
    pub always: bool,
    pub above_fen: Option<i64>,
    pub sensitive_goods: bool,
    pub new_destination: bool,
    pub monthly_budget_fen: Option<i64>,
    pub updated_by: i64,
    pub updated_at: NaiveDateTime,
}

#[derive(Queryable, Identifiable, Clone, Debug)]
#[diesel(table_name = outbox)]
pub struct OutboxMail {
    pub id: i64,
    pub user_id: Option<i64>,
    pub recipient: String,
    pub kind: String,
    pub detail: String,
    pub link: String,
    pub status: String,
    pub attempts: i64,
    pub next_attempt_at: NaiveDateTime,
    pub last_error: String,
    pub created_at: NaiveDateTime,
    pub sent_at: Option<NaiveDateTime>,
}
