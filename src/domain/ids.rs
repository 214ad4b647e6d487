//! Typed ids, so a user id can never be passed where a company id is meant.

macro_rules! id_type {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    )*};
}

id_type!(
    /// `users.id`
    UserId,
    /// `companies.id`
    CompanyId,
    /// `uploads.id`
    UploadId,
    /// `module_applications.id`
    ApplicationId,
    /// `sessions.id` (never the session's token, which only its cookie holds)
    SessionId,
);
