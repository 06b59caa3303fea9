//! The catalog (the requirements' "Merchant Service"): merchants with their hours, delivery
//! areas and fees, menus, reviews, and discovery of what delivers to a point.

mod delivery;
mod discovery;
mod error;
mod hours;
mod management;
mod model;
mod ports;
mod service;

pub use delivery::{EtaModel, FeeBand, delivery_fee_minor};
pub use error::CatalogError;
pub use hours::{
    ClockTime, InvalidClockTime, LocalDate, OpenWindow, OpeningHours, OpeningInterval, Weekday,
};
pub use model::*;
pub use ports::*;
pub use service::{
    CatalogPorts, CatalogService, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, MenuFetch, SCHEDULE_DAYS,
    from_timestamp, schedule_from, to_timestamp,
};
