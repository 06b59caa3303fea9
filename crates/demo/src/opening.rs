//! Realistic weekly hours: lunch and dinner splits, late nights running past midnight,
//! German Sundays, Kuwaiti Fridays, and the odd holiday closure.

use mercato_core::catalog::{ClockTime, LocalDate, OpeningHours, OpeningInterval, Weekday};

use super::markets::{Country, Market};
use super::rng::SplitMix64;
use super::templates::HoursStyle;

use Weekday::{Friday, Monday, Saturday, Sunday, Thursday, Tuesday, Wednesday};

const EVERY_DAY: &[Weekday] = &Weekday::ALL;
const WEEKDAYS: &[Weekday] = &[Monday, Tuesday, Wednesday, Thursday, Friday];
const MON_TO_SAT: &[Weekday] = &[Monday, Tuesday, Wednesday, Thursday, Friday, Saturday];
const SUN_TO_THU: &[Weekday] = &[Sunday, Monday, Tuesday, Wednesday, Thursday];
const FRI_SAT: &[Weekday] = &[Friday, Saturday];

/// `h:m` as minutes since midnight; past 24:00 means the next day.
const fn hm(hours: u16, minutes: u16) -> u16 {
    hours * 60 + minutes
}

/// A clock time from minutes since midnight, folding times past midnight into the next
/// day (which [`OpeningInterval`] reads from `closes <= opens`).
fn clock(minutes: u16) -> ClockTime {
    let minutes = if minutes > hm(24, 0) {
        minutes - hm(24, 0)
    } else {
        minutes
    };
    // In range by construction: every caller passes a time from this module's tables.
    ClockTime::new(minutes / 60, minutes % 60).unwrap_or(ClockTime::END_OF_DAY)
}

/// Builds a week from `(days, opens, closes)` rows; Kuwaiti Fridays open after midday
/// prayers.
struct Week {
    intervals: Vec<OpeningInterval>,
    friday_prayers: bool,
}

impl Week {
    fn new(market: &Market) -> Self {
        Self {
            intervals: Vec::new(),
            friday_prayers: market.kind == Country::Kuwait,
        }
    }

    fn open(&mut self, days: &[Weekday], opens: u16, closes: u16) -> &mut Self {
        for &day in days {
            let opens = if self.friday_prayers && day == Friday {
                opens.max(hm(13, 0))
            } else {
                opens
            };
            if closes > opens {
                self.intervals.push(OpeningInterval {
                    day,
                    opens: clock(opens),
                    closes: clock(closes),
                });
            }
        }
        self
    }

    /// Removes every interval starting on `day` (a weekly rest day).
    fn closed(&mut self, day: Weekday) -> &mut Self {
        self.intervals.retain(|i| i.day != day);
        self
    }

    fn build(&mut self) -> OpeningHours {
        OpeningHours {
            intervals: std::mem::take(&mut self.intervals),
            closures: Vec::new(),
        }
    }
}

/// A shift of 0, 15 or 30 minutes either way, so not every shop opens on the hour.
fn jitter(rng: &mut SplitMix64, minutes: u16) -> u16 {
    let shift = [0, 0, 15, 30][rng.below(4) as usize];
    if rng.chance(50) {
        minutes.saturating_sub(shift)
    } else {
        minutes + shift
    }
}

/// Weekly hours for a merchant of `style` in `market`.
pub(super) fn weekly_hours(
    rng: &mut SplitMix64,
    market: &Market,
    style: HoursStyle,
) -> OpeningHours {
    let mut week = Week::new(market);
    match style {
        HoursStyle::Restaurant => match rng.below(3) {
            0 => {
                let lunch = jitter(rng, hm(11, 30));
                let dinner = jitter(rng, hm(17, 30));
                let close = jitter(rng, hm(22, 0));
                week.open(MON_TO_SAT, lunch, hm(14, 30))
                    .open(SUN_TO_THU, dinner, close)
                    .open(FRI_SAT, dinner, close + 60);
                // No lunch on Sundays; many small restaurants also rest on Mondays.
                if rng.chance(40) {
                    week.closed(Monday);
                }
            }
            1 => {
                let opens = jitter(rng, hm(11, 0));
                let close = jitter(rng, hm(22, 0));
                week.open(&[Monday, Tuesday, Wednesday, Thursday], opens, close)
                    .open(FRI_SAT, opens, close + 90)
                    .open(&[Sunday], opens + 60, close - 30);
            }
            _ => {
                let opens = jitter(rng, hm(12, 0));
                week.open(SUN_TO_THU, opens, hm(24, 0))
                    .open(FRI_SAT, opens, hm(26, 0));
            }
        },
        HoursStyle::LateNight => {
            let evening_only = rng.chance(30);
            let opens = if evening_only {
                jitter(rng, hm(17, 0))
            } else {
                jitter(rng, hm(10, 30))
            };
            let close = [hm(24, 0), hm(25, 0), hm(26, 0)][rng.below(3) as usize];
            week.open(SUN_TO_THU, opens, close)
                .open(FRI_SAT, opens, close + 120);
            if evening_only {
                week.closed(Sunday);
            }
        }
        HoursStyle::Daytime => {
            let opens = jitter(rng, hm(7, 0));
            week.open(WEEKDAYS, opens, jitter(rng, hm(18, 30))).open(
                &[Saturday],
                opens + 30,
                hm(16, 0),
            );
            if rng.chance(70) {
                week.open(&[Sunday], hm(8, 0), hm(13, 0));
            }
        }
        HoursStyle::Grocery => {
            match market.kind {
                Country::UnitedStates => week.open(EVERY_DAY, hm(7, 0), jitter(rng, hm(23, 0))),
                // Ladenschlussgesetz: no Sunday trading.
                Country::Germany => week.open(MON_TO_SAT, hm(7, 0), jitter(rng, hm(22, 0))),
                Country::Japan => week.open(EVERY_DAY, jitter(rng, hm(9, 0)), hm(23, 0)),
                Country::Kuwait => week.open(EVERY_DAY, hm(8, 0), hm(24, 0)),
            };
        }
        HoursStyle::Pharmacy => {
            match market.kind {
                Country::UnitedStates => week.open(WEEKDAYS, hm(8, 0), hm(22, 0)).open(
                    &[Saturday, Sunday],
                    hm(9, 0),
                    hm(21, 0),
                ),
                Country::Germany => week.open(WEEKDAYS, hm(8, 0), jitter(rng, hm(19, 0))).open(
                    &[Saturday],
                    hm(9, 0),
                    hm(14, 0),
                ),
                Country::Japan => week.open(EVERY_DAY, hm(10, 0), hm(21, 0)),
                Country::Kuwait => week.open(EVERY_DAY, hm(9, 0), hm(25, 0)),
            };
        }
        HoursStyle::Convenience => {
            match market.kind {
                Country::UnitedStates => week.open(EVERY_DAY, hm(6, 0), hm(26, 0)),
                Country::Germany => week
                    .open(
                        &[Monday, Tuesday, Wednesday, Thursday],
                        hm(10, 0),
                        hm(25, 0),
                    )
                    .open(FRI_SAT, hm(10, 0), hm(27, 0))
                    .open(&[Sunday], hm(12, 0), hm(24, 0)),
                // Most konbini never close.
                Country::Japan if rng.chance(70) => return OpeningHours::always_open(),
                Country::Japan => week.open(EVERY_DAY, hm(7, 0), hm(23, 0)),
                Country::Kuwait => week.open(EVERY_DAY, hm(7, 0), hm(27, 0)),
            };
        }
        HoursStyle::Flowers => {
            match market.kind {
                Country::UnitedStates => {
                    week.open(MON_TO_SAT, hm(9, 0), hm(19, 0))
                        .open(&[Sunday], hm(10, 0), hm(16, 0))
                }
                Country::Germany => {
                    week.open(WEEKDAYS, hm(9, 0), hm(18, 30))
                        .open(&[Saturday], hm(9, 0), hm(16, 0))
                }
                Country::Japan => week.open(EVERY_DAY, hm(10, 0), hm(20, 0)).closed(Wednesday),
                Country::Kuwait => week.open(EVERY_DAY, hm(9, 0), hm(22, 0)),
            };
        }
        HoursStyle::Alcohol => {
            match market.kind {
                Country::UnitedStates => week
                    .open(
                        &[Monday, Tuesday, Wednesday, Thursday],
                        hm(10, 0),
                        hm(22, 0),
                    )
                    .open(FRI_SAT, hm(10, 0), hm(23, 0))
                    .open(&[Sunday], hm(12, 0), hm(20, 0)),
                Country::Germany => week.open(MON_TO_SAT, hm(9, 0), hm(22, 0)),
                Country::Japan | Country::Kuwait => week.open(EVERY_DAY, hm(10, 0), hm(23, 0)),
            };
        }
    }
    week.build()
}

/// Public holidays some merchants close on.
pub(super) fn holiday_closures(rng: &mut SplitMix64, market: &Market) -> Vec<LocalDate> {
    let dates: Vec<&str> = if rng.chance(50) {
        market.holidays.to_vec()
    } else {
        vec![*rng.pick(market.holidays)]
    };
    dates
        .into_iter()
        .filter_map(|d| LocalDate::try_from(d.to_owned()).ok())
        .collect()
}
