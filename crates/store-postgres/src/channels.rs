//! The `LISTEN/NOTIFY` channels, all in one place. The `access_changes` migration's trigger
//! function names [`ACCESS_CHANNEL`] literally.

/// The `LISTEN/NOTIFY` channel carrying
/// [`OrderUpdate`](mercato_core::ordering::OrderUpdate)s (JSON) to every server process.
/// Notifications are sent inside the transaction that makes the change, so they are
/// delivered only if it commits.
pub const ORDER_UPDATES_CHANNEL: &str = "mercato_order_updates";

/// The `LISTEN/NOTIFY` channel on which the database announces, on commit, every change that
/// ends or narrows what a signed-in user may do (payload: the user's id; `*` for a change of
/// every user, such as a `TRUNCATE`; empty for a process's heartbeat). Triggers send the
/// changes (see the `access_changes` migration), so no code path can leave one out.
pub const ACCESS_CHANNEL: &str = "mercato_access";

/// The `LISTEN/NOTIFY` channel that wakes dispatchers when events are committed.
pub const OUTBOX_CHANNEL: &str = "mercato_outbox";
