//! How long a delivery takes and what it costs, as functions of distance.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// One band of a merchant's delivery fee: up to `upToM` metres costs `feeMinor`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FeeBand {
    /// Upper distance bound in metres (inclusive).
    pub up_to_m: u32,
    /// Fee in minor units of the merchant's currency.
    pub fee_minor: i64,
}

/// The delivery fee for `distance_m` under `bands` (sorted by `up_to_m`): the first band
/// reaching that far; beyond the last band, the last band's fee (the delivery radius, not
/// the fee table, decides what is deliverable).
#[must_use]
pub fn delivery_fee_minor(bands: &[FeeBand], distance_m: f64) -> i64 {
    bands
        .iter()
        .find(|b| f64::from(b.up_to_m) >= distance_m)
        .or(bands.last())
        .map_or(0, |b| b.fee_minor)
}

/// The delivery-time model: preparation, a fixed hand-off, and riding at a set speed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EtaModel {
    /// Minutes for the courier to collect and hand over.
    pub handoff_minutes: u16,
    /// Courier speed through town, km/h.
    pub courier_speed_kmh: u16,
    /// Extra minutes when a merchant flags itself busy.
    pub busy_extra_minutes: u16,
}

impl Default for EtaModel {
    fn default() -> Self {
        Self {
            handoff_minutes: 5,
            courier_speed_kmh: 18,
            busy_extra_minutes: 15,
        }
    }
}

impl EtaModel {
    /// Minutes from order to door: `prep (+ busy extra) + hand-off + ceil(travel)`.
    #[must_use]
    pub fn eta_minutes(&self, prep_minutes: u16, busy: bool, distance_m: f64) -> u32 {
        let busy = if busy { self.busy_extra_minutes } else { 0 };
        u32::from(prep_minutes)
            + u32::from(busy)
            + u32::from(self.handoff_minutes)
            + self.travel_minutes(distance_m)
    }

    /// Minutes a courier needs to ride `distance_m` metres, rounded up.
    #[must_use]
    // Travel within any delivery radius is far below u32::MAX minutes.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    pub fn travel_minutes(&self, distance_m: f64) -> u32 {
        (distance_m.max(0.0) / 1000.0 / f64::from(self.courier_speed_kmh.max(1)) * 60.0).ceil()
            as u32
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    const BANDS: [FeeBand; 3] = [
        FeeBand {
            up_to_m: 2000,
            fee_minor: 199,
        },
        FeeBand {
            up_to_m: 5000,
            fee_minor: 299,
        },
        FeeBand {
            up_to_m: 8000,
            fee_minor: 399,
        },
    ];

    #[test]
    fn the_fee_is_that_of_the_first_band_reaching_the_distance() {
        assert_eq!(delivery_fee_minor(&BANDS, 0.0), 199);
        assert_eq!(delivery_fee_minor(&BANDS, 2000.0), 199);
        assert_eq!(delivery_fee_minor(&BANDS, 2000.5), 299);
        assert_eq!(delivery_fee_minor(&BANDS, 9000.0), 399);
        assert_eq!(delivery_fee_minor(&[], 100.0), 0);
    }

    #[test]
    fn eta_adds_preparation_handoff_and_riding_time() {
        let model = EtaModel::default();
        // 3 km at 18 km/h is 10 minutes.
        assert_eq!(model.eta_minutes(20, false, 3000.0), 20 + 5 + 10);
        assert_eq!(model.eta_minutes(20, true, 3000.0), 20 + 15 + 5 + 10);
    }

    proptest! {
        #[test]
        fn eta_never_decreases_with_distance(prep in 0u16..120, a in 0.0f64..50_000.0, b in 0.0f64..50_000.0) {
            let model = EtaModel::default();
            let (near, far) = if a <= b { (a, b) } else { (b, a) };
            prop_assert!(model.eta_minutes(prep, false, near) <= model.eta_minutes(prep, false, far));
        }

        #[test]
        fn fees_never_decrease_with_distance_for_increasing_bands(a in 0.0f64..10_000.0, b in 0.0f64..10_000.0) {
            let (near, far) = if a <= b { (a, b) } else { (b, a) };
            prop_assert!(delivery_fee_minor(&BANDS, near) <= delivery_fee_minor(&BANDS, far));
        }
    }
}
