//! Background work of a server instance.

pub mod outbox;
