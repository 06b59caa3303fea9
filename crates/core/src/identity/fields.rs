//! Parsers for the free-text fields of identity requests (names, phones, locales, address
//! lines), each returning the normalized value or a message for the field error.

/// A display name or label: trimmed, `min..=max` characters, no control characters.
pub(crate) fn text(value: &str, min: usize, max: usize) -> Result<String, String> {
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
pub(crate) fn optional_text(value: Option<&str>, max: usize) -> Result<Option<String>, String> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => text(v, 1, max).map(Some),
    }
}

/// Parses an optional phone number into E.164 form: `+`, then 8–15 digits; spaces, dashes
/// and brackets are dropped first. Absent or blank is `None`.
///
/// # Errors
/// A message for the field error.
pub fn phone(value: Option<&str>) -> Result<Option<String>, String> {
    let Some(raw) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    let compact: String = raw
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '(' | ')' | '.'))
        .collect();
    let digits = compact.strip_prefix('+').unwrap_or("");
    if (8..=15).contains(&digits.len())
        && digits.bytes().all(|b| b.is_ascii_digit())
        && !digits.starts_with('0')
    {
        Ok(Some(compact))
    } else {
        Err("must be a phone number in international form such as +4930123456".to_owned())
    }
}

/// Parses a BCP 47 language tag of the common shape `ll`, `ll-RR`, `lll-Scrp-RR`,
/// normalizing case.
///
/// # Errors
/// A message for the field error.
pub fn locale(value: &str) -> Result<String, String> {
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
        Ok(normalized)
    } else {
        Err("must be a language tag such as en, de-DE or ja-JP".to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_are_compacted_to_e164() {
        assert_eq!(
            phone(Some("+49 (30) 123-456")),
            Ok(Some("+4930123456".to_owned()))
        );
        assert_eq!(phone(Some("  ")), Ok(None));
        assert!(phone(Some("030 123456")).is_err());
        assert!(phone(Some("+12")).is_err());
    }

    #[test]
    fn locales_are_case_normalized() {
        assert_eq!(locale("DE_de"), Ok("de-DE".to_owned()));
        assert_eq!(locale("zh-hant-tw"), Ok("zh-Hant-TW".to_owned()));
        assert!(locale("english").is_err());
        assert!(locale("").is_err());
    }

    #[test]
    fn text_is_trimmed_and_bounded() {
        assert_eq!(text("  Ann  ", 1, 10), Ok("Ann".to_owned()));
        assert!(text("   ", 1, 10).is_err());
        assert!(text("x".repeat(11).as_str(), 1, 10).is_err());
        assert!(text("a\u{7}b", 1, 10).is_err());
    }
}
