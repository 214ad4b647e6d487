//! Background work of a server instance.

pub mod lease;
pub mod outbox;
pub mod review_reminders;
pub mod shutdown;
pub mod watchdog;
pub mod webhooks;
