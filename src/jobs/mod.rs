//! Background work of a server instance.

pub mod lease;
pub mod outbox;
pub mod watchdog;
