//! The ordering stores (schema `ordering`): [`carts`], [`orders`] (checkout, reads, status
//! changes), [`fulfilment`] (couriers, assignments, tracking), [`insights`] (order reviews,
//! statistics), and the [`live`] order updates every process hears. [`rows`] holds the order
//! row and the statements that read whole orders, which several of them share.

mod carts;
mod fulfilment;
mod insights;
mod live;
mod orders;
mod rows;

pub use live::OrderUpdateListener;
