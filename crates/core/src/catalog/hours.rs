//! Opening hours in the merchant's local time, and the absolute open windows they give.
//!
//! A merchant publishes weekly intervals (`monday 11:00–14:30`, `friday 18:00–02:00`) and
//! closure dates, all in its own time zone. [`OpeningHours::windows`] turns them into
//! absolute instants for a span of days, honouring daylight-saving changes: that one
//! function decides "open now" and "next opening" everywhere — the store keeps the windows
//! it computes, so queries compare instants and never re-implement the calendar.

use std::fmt;

use jiff::civil::{Date, DateTime, Time, Weekday as JiffWeekday};
use jiff::tz::TimeZone;
use jiff::{Span, Timestamp};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A day of the week.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Weekday {
    /// Monday.
    Monday,
    /// Tuesday.
    Tuesday,
    /// Wednesday.
    Wednesday,
    /// Thursday.
    Thursday,
    /// Friday.
    Friday,
    /// Saturday.
    Saturday,
    /// Sunday.
    Sunday,
}

impl Weekday {
    /// Every day, Monday first.
    pub const ALL: [Self; 7] = [
        Self::Monday,
        Self::Tuesday,
        Self::Wednesday,
        Self::Thursday,
        Self::Friday,
        Self::Saturday,
        Self::Sunday,
    ];

    fn of(date: Date) -> Self {
        match date.weekday() {
            JiffWeekday::Monday => Self::Monday,
            JiffWeekday::Tuesday => Self::Tuesday,
            JiffWeekday::Wednesday => Self::Wednesday,
            JiffWeekday::Thursday => Self::Thursday,
            JiffWeekday::Friday => Self::Friday,
            JiffWeekday::Saturday => Self::Saturday,
            JiffWeekday::Sunday => Self::Sunday,
        }
    }

    /// The day's stable name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Monday => "monday",
            Self::Tuesday => "tuesday",
            Self::Wednesday => "wednesday",
            Self::Thursday => "thursday",
            Self::Friday => "friday",
            Self::Saturday => "saturday",
            Self::Sunday => "sunday",
        }
    }

    /// Parses a stable name.
    #[must_use]
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|d| d.as_str() == name)
    }
}

/// A wall-clock time of day, `HH:MM`, from `00:00` to `24:00` (the end of the day).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ClockTime(u16);

/// Why a time of day was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("must be a time of day HH:MM from 00:00 to 24:00")]
pub struct InvalidClockTime;

impl ClockTime {
    /// Midnight at the start of the day.
    pub const MIDNIGHT: Self = Self(0);
    /// The end of the day.
    pub const END_OF_DAY: Self = Self(24 * 60);

    /// `hours:minutes`.
    ///
    /// # Errors
    /// [`InvalidClockTime`] out of range.
    pub fn new(hours: u16, minutes: u16) -> Result<Self, InvalidClockTime> {
        if hours > 24 || minutes >= 60 || (hours == 24 && minutes > 0) {
            return Err(InvalidClockTime);
        }
        Ok(Self(hours * 60 + minutes))
    }

    /// Parses `HH:MM`.
    ///
    /// # Errors
    /// [`InvalidClockTime`].
    pub fn parse(text: &str) -> Result<Self, InvalidClockTime> {
        let (h, m) = text.split_once(':').ok_or(InvalidClockTime)?;
        if h.len() != 2 || m.len() != 2 {
            return Err(InvalidClockTime);
        }
        Self::new(
            h.parse().map_err(|_| InvalidClockTime)?,
            m.parse().map_err(|_| InvalidClockTime)?,
        )
    }

    /// Minutes since midnight.
    #[must_use]
    pub fn minutes(self) -> u16 {
        self.0
    }
}

impl fmt::Display for ClockTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.0 / 60, self.0 % 60)
    }
}

impl TryFrom<String> for ClockTime {
    type Error = InvalidClockTime;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<ClockTime> for String {
    fn from(time: ClockTime) -> Self {
        time.to_string()
    }
}

impl utoipa::PartialSchema for ClockTime {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .pattern(Some("^([01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$"))
            .examples([serde_json::json!("18:30")])
            .into()
    }
}

impl utoipa::ToSchema for ClockTime {}

/// A calendar date in the merchant's local time, `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct LocalDate(pub Date);

/// Why a date was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("must be a date YYYY-MM-DD")]
pub struct InvalidLocalDate;

impl TryFrom<String> for LocalDate {
    type Error = InvalidLocalDate;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        value
            .parse::<Date>()
            .map(Self)
            .map_err(|_| InvalidLocalDate)
    }
}

impl From<LocalDate> for String {
    fn from(date: LocalDate) -> Self {
        date.0.to_string()
    }
}

impl utoipa::PartialSchema for LocalDate {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .format(Some(utoipa::openapi::SchemaFormat::KnownFormat(
                utoipa::openapi::KnownFormat::Date,
            )))
            .into()
    }
}

impl utoipa::ToSchema for LocalDate {}

/// One opening interval. `closes` at or before `opens` means it closes the next day
/// (`18:00–02:00`); `00:00–00:00` (or `00:00–24:00`) is the whole day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OpeningInterval {
    /// The day the interval starts on.
    pub day: Weekday,
    /// Local opening time.
    pub opens: ClockTime,
    /// Local closing time.
    pub closes: ClockTime,
}

/// A merchant's weekly hours and closure dates, in its time zone.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OpeningHours {
    /// Weekly intervals; several per day allowed.
    pub intervals: Vec<OpeningInterval>,
    /// Local dates on which intervals starting that day do not happen.
    #[serde(default)]
    pub closures: Vec<LocalDate>,
}

/// A span of time during which a merchant is open, as absolute instants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct OpenWindow {
    /// Opening instant (inclusive).
    pub opens_at: Timestamp,
    /// Closing instant (exclusive).
    pub closes_at: Timestamp,
}

impl OpeningHours {
    /// Every hour of every day.
    #[must_use]
    pub fn always_open() -> Self {
        Self {
            intervals: Weekday::ALL
                .into_iter()
                .map(|day| OpeningInterval {
                    day,
                    opens: ClockTime::MIDNIGHT,
                    closes: ClockTime::END_OF_DAY,
                })
                .collect(),
            closures: Vec::new(),
        }
    }

    /// The open windows overlapping `[from, from + days)`, sorted, merged where they touch.
    /// Intervals starting the day before `from` are included, so an overnight interval
    /// that is still running shows.
    #[must_use]
    pub fn windows(&self, tz: &TimeZone, from: Timestamp, days: u16) -> Vec<OpenWindow> {
        let until = from
            .checked_add(Span::new().hours(i64::from(days) * 24))
            .unwrap_or(from);
        let first = tz.to_datetime(from).date().yesterday().unwrap_or(Date::MIN);
        let mut windows: Vec<OpenWindow> = Vec::new();
        for offset in 0..=i64::from(days) + 1 {
            let Ok(date) = first.checked_add(Span::new().days(offset)) else {
                break;
            };
            if self.closures.iter().any(|c| c.0 == date) {
                continue;
            }
            let weekday = Weekday::of(date);
            for interval in self.intervals.iter().filter(|i| i.day == weekday) {
                if let Some(window) = interval_window(tz, date, *interval)
                    && window.closes_at > from
                    && window.opens_at < until
                {
                    windows.push(window);
                }
            }
        }
        windows.sort();
        let mut merged: Vec<OpenWindow> = Vec::with_capacity(windows.len());
        for window in windows {
            match merged.last_mut() {
                Some(last) if window.opens_at <= last.closes_at => {
                    last.closes_at = last.closes_at.max(window.closes_at)
                }
                _ => merged.push(window),
            }
        }
        merged
    }

    /// Whether the merchant is open at `at`.
    #[must_use]
    pub fn is_open_at(&self, tz: &TimeZone, at: Timestamp) -> bool {
        self.windows(tz, at, 1)
            .iter()
            .any(|w| w.opens_at <= at && at < w.closes_at)
    }

    /// The next instant after `at` at which the merchant opens, within a week; `None` when
    /// it is open at `at` or never opens in the coming week.
    #[must_use]
    pub fn next_opening(&self, tz: &TimeZone, at: Timestamp) -> Option<Timestamp> {
        let windows = self.windows(tz, at, 8);
        if windows.iter().any(|w| w.opens_at <= at && at < w.closes_at) {
            return None;
        }
        windows
            .into_iter()
            .map(|w| w.opens_at)
            .find(|&opens| opens > at)
    }
}

fn local_instant(tz: &TimeZone, date: Date, minutes: u16, closing: bool) -> Option<Timestamp> {
    let (date, minutes) = if minutes >= 24 * 60 {
        (date.tomorrow().ok()?, minutes - 24 * 60)
    } else {
        (date, minutes)
    };
    let time = Time::new(
        i8::try_from(minutes / 60).ok()?,
        i8::try_from(minutes % 60).ok()?,
        0,
        0,
    )
    .ok()?;
    // A time in a spring-forward gap moves later (both bounds). A time in a fall-back fold
    // happens twice: opening takes the first, closing the second, so the interval keeps all
    // the wall-clock time it promises.
    let ambiguous = tz.to_ambiguous_zoned_datetime(DateTime::from_parts(date, time));
    let zoned = if closing {
        ambiguous.later()
    } else {
        ambiguous.compatible()
    };
    zoned.ok().map(|z| z.timestamp())
}

fn interval_window(tz: &TimeZone, date: Date, interval: OpeningInterval) -> Option<OpenWindow> {
    let opens = interval.opens.minutes();
    let closes = if interval.closes.minutes() <= opens {
        interval.closes.minutes() + 24 * 60
    } else {
        interval.closes.minutes()
    };
    let window = OpenWindow {
        opens_at: local_instant(tz, date, opens, false)?,
        closes_at: local_instant(tz, date, closes, true)?,
    };
    (window.closes_at > window.opens_at).then_some(window)
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;
    use proptest::prelude::*;

    use super::*;

    fn at(tz: &TimeZone, y: i16, m: i8, d: i8, h: i8, min: i8) -> Timestamp {
        date(y, m, d)
            .at(h, min, 0, 0)
            .to_zoned_datetime(tz.clone())
            .expect("valid local time")
            .timestamp()
    }

    fn hours(intervals: &[(Weekday, &str, &str)]) -> OpeningHours {
        OpeningHours {
            intervals: intervals
                .iter()
                .map(|(day, o, c)| OpeningInterval {
                    day: *day,
                    opens: ClockTime::parse(o).expect("time"),
                    closes: ClockTime::parse(c).expect("time"),
                })
                .collect(),
            closures: Vec::new(),
        }
    }

    fn berlin() -> TimeZone {
        TimeZone::get("Europe/Berlin").expect("bundled tzdb")
    }

    #[test]
    fn clock_times_parse_and_print_as_hh_mm() {
        assert_eq!(
            ClockTime::parse("07:05").map(|t| t.to_string()),
            Ok("07:05".to_owned())
        );
        assert_eq!(ClockTime::parse("24:00"), Ok(ClockTime::END_OF_DAY));
        for bad in ["24:01", "7:05", "07:60", "ab:cd", "0705"] {
            assert_eq!(ClockTime::parse(bad), Err(InvalidClockTime), "{bad}");
        }
    }

    #[test]
    fn an_interval_is_open_between_its_times_in_local_time() {
        let tz = berlin();
        // 2026-11-23 is a Monday.
        let h = hours(&[(Weekday::Monday, "11:00", "14:30")]);
        assert!(!h.is_open_at(&tz, at(&tz, 2026, 11, 23, 10, 59)));
        assert!(h.is_open_at(&tz, at(&tz, 2026, 11, 23, 11, 0)));
        assert!(h.is_open_at(&tz, at(&tz, 2026, 11, 23, 14, 29)));
        assert!(!h.is_open_at(&tz, at(&tz, 2026, 11, 23, 14, 30)));
    }

    #[test]
    fn an_overnight_interval_runs_into_the_next_day() {
        let tz = berlin();
        let h = hours(&[(Weekday::Friday, "18:00", "02:00")]);
        // 2026-11-27 is a Friday.
        assert!(h.is_open_at(&tz, at(&tz, 2026, 11, 28, 1, 30)));
        assert!(!h.is_open_at(&tz, at(&tz, 2026, 11, 28, 2, 0)));
        assert!(
            !h.is_open_at(&tz, at(&tz, 2026, 11, 27, 1, 30)),
            "Thursday night is closed"
        );
    }

    #[test]
    fn the_same_local_hours_are_different_instants_in_different_zones() {
        let tokyo = TimeZone::get("Asia/Tokyo").expect("tz");
        let h = hours(&[(Weekday::Monday, "09:00", "17:00")]);
        let instant = at(&tokyo, 2026, 11, 23, 10, 0); // 02:00 in Berlin
        assert!(h.is_open_at(&tokyo, instant));
        assert!(!h.is_open_at(&berlin(), instant));
    }

    #[test]
    fn a_closure_date_cancels_intervals_starting_that_day() {
        let tz = berlin();
        let mut h = hours(&[
            (Weekday::Friday, "18:00", "02:00"),
            (Weekday::Saturday, "18:00", "23:00"),
        ]);
        h.closures.push(LocalDate(date(2026, 11, 27)));
        assert!(!h.is_open_at(&tz, at(&tz, 2026, 11, 27, 19, 0)));
        assert!(!h.is_open_at(&tz, at(&tz, 2026, 11, 28, 1, 0)));
        assert!(h.is_open_at(&tz, at(&tz, 2026, 11, 28, 19, 0)));
    }

    #[test]
    fn spring_forward_shortens_an_interval_spanning_the_gap() {
        let tz = berlin();
        // 2026-03-29 (Sunday): clocks jump from 02:00 to 03:00.
        let h = hours(&[(Weekday::Sunday, "01:00", "04:00")]);
        let windows = h.windows(&tz, at(&tz, 2026, 3, 29, 0, 0), 1);
        let [w] = windows.as_slice() else {
            panic!("{windows:?}")
        };
        assert_eq!(w.closes_at.duration_since(w.opens_at).as_secs(), 2 * 3600);
    }

    #[test]
    fn fall_back_lengthens_an_interval_spanning_the_fold() {
        let tz = berlin();
        // 2026-10-25 (Sunday): clocks go back from 03:00 to 02:00.
        let h = hours(&[(Weekday::Sunday, "01:00", "04:00")]);
        let windows = h.windows(&tz, at(&tz, 2026, 10, 25, 0, 0), 1);
        let [w] = windows.as_slice() else {
            panic!("{windows:?}")
        };
        assert_eq!(w.closes_at.duration_since(w.opens_at).as_secs(), 4 * 3600);
    }

    #[test]
    fn a_closing_time_in_the_fall_back_fold_is_its_second_occurrence() {
        let tz = berlin();
        // 2026-10-25: 02:00–03:00 happens twice; closing at 02:30 means the second 02:30.
        let h = hours(&[(Weekday::Sunday, "01:00", "02:30")]);
        let windows = h.windows(&tz, at(&tz, 2026, 10, 25, 0, 0), 1);
        let [w] = windows.as_slice() else {
            panic!("{windows:?}")
        };
        assert_eq!(w.closes_at.duration_since(w.opens_at).as_secs(), 150 * 60);
    }

    #[test]
    fn clock_times_refuse_hours_past_24_without_overflowing() {
        assert_eq!(ClockTime::new(1093, 0), Err(InvalidClockTime));
        assert_eq!(ClockTime::new(24, 1), Err(InvalidClockTime));
        assert_eq!(ClockTime::new(24, 0), Ok(ClockTime::END_OF_DAY));
    }

    #[test]
    fn an_interval_inside_the_gap_is_shifted_past_it() {
        let tz = berlin();
        // 02:15 does not exist on 2026-03-29; "compatible" reads it as 03:15 CEST.
        let h = hours(&[(Weekday::Sunday, "02:15", "02:45")]);
        let windows = h.windows(&tz, at(&tz, 2026, 3, 29, 0, 0), 1);
        let [w] = windows.as_slice() else {
            panic!("{windows:?}")
        };
        assert_eq!(w.opens_at, at(&tz, 2026, 3, 29, 3, 15));
        assert_eq!(w.closes_at.duration_since(w.opens_at).as_secs(), 30 * 60);
    }

    #[test]
    fn next_opening_is_the_start_of_the_next_window() {
        let tz = berlin();
        let h = hours(&[
            (Weekday::Monday, "11:00", "14:00"),
            (Weekday::Monday, "17:00", "22:00"),
        ]);
        let now = at(&tz, 2026, 11, 23, 15, 0);
        assert_eq!(h.next_opening(&tz, now), Some(at(&tz, 2026, 11, 23, 17, 0)));
        assert_eq!(
            h.next_opening(&tz, at(&tz, 2026, 11, 23, 12, 0)),
            None,
            "open now"
        );
        assert_eq!(
            h.next_opening(&tz, at(&tz, 2026, 11, 23, 23, 0)),
            Some(at(&tz, 2026, 11, 30, 11, 0))
        );
    }

    #[test]
    fn touching_intervals_merge_into_one_window() {
        let tz = berlin();
        let h = OpeningHours::always_open();
        let windows = h.windows(&tz, at(&tz, 2026, 11, 23, 12, 0), 3);
        assert_eq!(windows.len(), 1, "{windows:?}");
    }

    fn zone() -> impl Strategy<Value = TimeZone> {
        prop::sample::select(vec![
            "Europe/Berlin",
            "America/New_York",
            "America/Los_Angeles",
            "Asia/Tokyo",
            "Asia/Kuwait",
            "Australia/Lord_Howe",
        ])
        .prop_map(|name| TimeZone::get(name).expect("tz"))
    }

    fn instant() -> impl Strategy<Value = Timestamp> {
        // 2024-01-01 .. 2030-01-01, covering many DST transitions.
        (1_704_067_200i64..1_893_456_000).prop_map(|s| Timestamp::from_second(s).expect("in range"))
    }

    fn interval() -> impl Strategy<Value = OpeningInterval> {
        (0usize..7, 0u16..=96, 0u16..=96).prop_map(|(d, o, c)| OpeningInterval {
            day: Weekday::ALL[d],
            opens: ClockTime(o * 15 % (24 * 60)),
            closes: ClockTime(c * 15),
        })
    }

    proptest! {
        #[test]
        fn a_merchant_open_around_the_clock_is_open_at_every_instant(tz in zone(), now in instant()) {
            prop_assert!(OpeningHours::always_open().is_open_at(&tz, now));
        }

        #[test]
        fn windows_are_sorted_disjoint_and_non_empty(
            tz in zone(), now in instant(), intervals in prop::collection::vec(interval(), 0..12),
        ) {
            let h = OpeningHours { intervals, closures: Vec::new() };
            let windows = h.windows(&tz, now, 7);
            for w in &windows {
                prop_assert!(w.opens_at < w.closes_at);
            }
            for pair in windows.windows(2) {
                prop_assert!(pair[0].closes_at < pair[1].opens_at);
            }
        }

        #[test]
        fn next_opening_is_a_moment_when_the_merchant_is_open(
            tz in zone(), now in instant(), intervals in prop::collection::vec(interval(), 1..8),
        ) {
            let h = OpeningHours { intervals, closures: Vec::new() };
            if let Some(opens) = h.next_opening(&tz, now) {
                prop_assert!(opens > now);
                prop_assert!(h.is_open_at(&tz, opens));
                prop_assert!(!h.is_open_at(&tz, now));
            }
        }
    }
}
