//! Parsers for the values every context takes from requests: display text, phone numbers
//! (E.164), language tags (BCP 47), IANA time zones and coordinate pairs. Each parses once,
//! at the edge of a use case, into a value that is valid by construction — the use case then
//! holds a [`PhoneNumber`], a [`Locale`], a [`TimeZoneName`] or a [`Coordinates`], not a
//! string or a float to check again — or gives the message for the field error. The values
//! are made only by parsing (no public constructor, no `Deserialize`).

use crate::error::ValidationErrors;
use crate::geo::{Coordinates, LatLng};

/// The accessors of a parsed string value.
macro_rules! string_value {
    ($name:ident) => {
        impl $name {
            /// The value, as parsed (normalized).
            #[must_use]
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// The value as a string.
            #[must_use]
            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

string_value!(PhoneNumber);
string_value!(Locale);
string_value!(TimeZoneName);

/// A display name or label: trimmed, `min..=max` characters, no control characters.
///
/// # Errors
/// A message for the field error.
pub fn text(value: &str, min: usize, max: usize) -> Result<String, String> {
    let trimmed = value.trim();
    let chars = trimmed.chars().count();
    if chars < min {
        return Err(if min == 1 {
            "must not be empty".to_owned()
        } else {
            format!("must be at least {min} characters long")
        });
    }
    if chars > max {
        return Err(format!("must be at most {max} characters long"));
    }
    if trimmed.chars().any(|c| c.is_control() && c != '\n') {
        return Err("must not contain control characters".to_owned());
    }
    Ok(trimmed.to_owned())
}

/// Optional text: absent or blank becomes `None`.
///
/// # Errors
/// A message for the field error.
pub fn optional_text(value: Option<&str>, max: usize) -> Result<Option<String>, String> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => text(v, 1, max).map(Some),
    }
}

/// A phone number in E.164 form: `+`, then 8–15 digits, the first not 0.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PhoneNumber(String);

impl PhoneNumber {
    /// Parses a phone number written in international form; spaces, dashes, dots and
    /// brackets are dropped first (`+49 (30) 123-456` is `+4930123456`).
    ///
    /// # Errors
    /// A message for the field error.
    pub fn parse(value: &str) -> Result<Self, String> {
        let compact: String = value
            .trim()
            .chars()
            .filter(|c| !matches!(c, ' ' | '-' | '(' | ')' | '.'))
            .collect();
        let digits = compact.strip_prefix('+').unwrap_or("");
        if (8..=15).contains(&digits.len())
            && digits.bytes().all(|b| b.is_ascii_digit())
            && !digits.starts_with('0')
        {
            Ok(Self(compact))
        } else {
            Err("must be a phone number in international form such as +4930123456".to_owned())
        }
    }
}

/// Parses an optional phone number (see [`PhoneNumber::parse`]); absent or blank is `None`.
///
/// # Errors
/// A message for the field error.
pub fn phone(value: Option<&str>) -> Result<Option<PhoneNumber>, String> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(raw) => PhoneNumber::parse(raw).map(Some),
    }
}

/// A BCP 47 language tag of the common shape `ll`, `ll-RR`, `lll-Scrp-RR`, in canonical
/// case (`de-DE`, `zh-Hant-TW`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Locale(String);

impl Locale {
    /// Parses a language tag, normalizing its case (`_` is read as `-`).
    ///
    /// # Errors
    /// A message for the field error.
    pub fn parse(value: &str) -> Result<Self, String> {
        let tag = value.trim();
        let mut parts = tag.split(['-', '_']);
        let language = parts.next().unwrap_or("");
        let language_ok =
            (2..=3).contains(&language.len()) && language.bytes().all(|b| b.is_ascii_alphabetic());
        let mut normalized = language.to_ascii_lowercase();
        let mut subtags_ok = true;
        for sub in parts {
            subtags_ok &=
                (2..=8).contains(&sub.len()) && sub.bytes().all(|b| b.is_ascii_alphanumeric());
            normalized.push('-');
            match sub.len() {
                2 => normalized.push_str(&sub.to_ascii_uppercase()),
                4 => {
                    let mut chars = sub.chars();
                    if let Some(first) = chars.next() {
                        normalized.push(first.to_ascii_uppercase());
                    }
                    normalized.push_str(&chars.as_str().to_ascii_lowercase());
                }
                _ => normalized.push_str(sub),
            }
        }
        if language_ok && subtags_ok && tag.len() <= 35 {
            Ok(Self(normalized))
        } else {
            Err("must be a language tag such as en, de-DE or ja-JP".to_owned())
        }
    }
}

/// An IANA time zone name known to the bundled time-zone database (`Europe/Berlin`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TimeZoneName(String);

impl TimeZoneName {
    /// Parses a time zone name.
    ///
    /// # Errors
    /// A message for the field error.
    pub fn parse(value: &str) -> Result<Self, String> {
        let name = value.trim();
        if jiff::tz::TimeZone::get(name).is_ok() {
            Ok(Self(name.to_owned()))
        } else {
            Err("must be an IANA time zone such as Europe/Berlin".to_owned())
        }
    }
}

/// Parses a coordinate pair sent as the fields `{prefix}lat` and `{prefix}lng`, recording a
/// field error for each axis out of range (both at once, like every other field).
pub fn point(
    errors: &mut ValidationErrors,
    prefix: &str,
    lat: f64,
    lng: f64,
) -> Option<Coordinates> {
    let lat_ok = Coordinates::new(lat, 0.0).is_ok();
    let lng_ok = Coordinates::new(0.0, lng).is_ok();
    if !lat_ok {
        errors.add(format!("{prefix}lat"), "must be a number from -90 to 90");
    }
    if !lng_ok {
        errors.add(format!("{prefix}lng"), "must be a number from -180 to 180");
    }
    Coordinates::new(lat, lng).ok()
}

impl From<Coordinates> for LatLng {
    fn from(point: Coordinates) -> Self {
        Self {
            lat: point.lat(),
            lng: point.lng(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_are_compacted_to_e164() {
        assert_eq!(
            phone(Some("+49 (30) 123-456")).map(|p| p.map(PhoneNumber::into_string)),
            Ok(Some("+4930123456".to_owned()))
        );
        assert_eq!(phone(Some("  ")), Ok(None));
        assert!(phone(Some("030 123456")).is_err());
        assert!(phone(Some("+12")).is_err());
    }

    #[test]
    fn locales_are_case_normalized() {
        assert_eq!(
            Locale::parse("DE_de").map(Locale::into_string),
            Ok("de-DE".to_owned())
        );
        assert_eq!(
            Locale::parse("zh-hant-tw").map(Locale::into_string),
            Ok("zh-Hant-TW".to_owned())
        );
        assert!(Locale::parse("english").is_err());
        assert!(Locale::parse("").is_err());
    }

    #[test]
    fn time_zones_are_the_databases() {
        assert_eq!(
            TimeZoneName::parse(" Asia/Tokyo ").map(TimeZoneName::into_string),
            Ok("Asia/Tokyo".to_owned())
        );
        assert!(TimeZoneName::parse("Mars/Olympus").is_err());
    }

    #[test]
    fn a_point_names_every_axis_out_of_range() {
        let mut errors = ValidationErrors::default();
        assert_eq!(point(&mut errors, "to.", 91.0, f64::NAN), None);
        let fields: Vec<_> = errors.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["to.lat", "to.lng"]);

        let mut errors = ValidationErrors::default();
        let parsed = point(&mut errors, "", 52.5, 13.4).expect("valid");
        assert_eq!(
            LatLng::from(parsed),
            LatLng {
                lat: 52.5,
                lng: 13.4
            }
        );
        assert!(errors.0.is_empty());
    }

    #[test]
    fn text_is_trimmed_and_bounded() {
        assert_eq!(text("  Ann  ", 1, 10), Ok("Ann".to_owned()));
        assert!(text("   ", 1, 10).is_err());
        assert!(text("x".repeat(11).as_str(), 1, 10).is_err());
        assert!(text("a\u{7}b", 1, 10).is_err());
    }
}
