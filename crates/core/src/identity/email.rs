//! Email addresses, parsed and normalized once at the edge.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A syntactically valid, normalized (trimmed, lower-cased) email address.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

/// Why an email address was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InvalidEmail {
    /// Longer than 254 characters, or a local part over 64.
    #[error("is too long")]
    TooLong,
    /// Not of the form `local@domain.tld`.
    #[error("must be an email address such as name@example.com")]
    Malformed,
}

impl Email {
    /// Parses and normalizes an address.
    ///
    /// Normalization trims surrounding white space and lower-cases the whole address. The
    /// local part is case-sensitive in theory; no provider we serve treats it so, and folding
    /// case is what stops `Ann@x.com` and `ann@x.com` becoming two accounts.
    ///
    /// # Errors
    /// [`InvalidEmail`] when the input is not a plausible deliverable address.
    pub fn parse(input: &str) -> Result<Self, InvalidEmail> {
        let address = input.trim().to_lowercase();
        if address.chars().count() > 254 {
            return Err(InvalidEmail::TooLong);
        }
        let (local, domain) = address.split_once('@').ok_or(InvalidEmail::Malformed)?;
        if local.chars().count() > 64 {
            return Err(InvalidEmail::TooLong);
        }
        let local_ok = !local.is_empty()
            && !local.starts_with('.')
            && !local.ends_with('.')
            && !local.contains("..")
            && local
                .chars()
                .all(|c| c.is_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c));
        let labels: Vec<&str> = domain.split('.').collect();
        let domain_ok = labels.len() >= 2
            && labels.iter().all(|label| {
                !label.is_empty()
                    && label.chars().count() <= 63
                    && !label.starts_with('-')
                    && !label.ends_with('-')
                    && label.chars().all(|c| c.is_alphanumeric() || c == '-')
            })
            && labels.last().is_some_and(|tld| {
                tld.chars().count() >= 2 && !tld.chars().all(|c| c.is_ascii_digit())
            });
        if local_ok && domain_ok {
            Ok(Self(address))
        } else {
            Err(InvalidEmail::Malformed)
        }
    }

    /// The normalized address.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Email {
    type Error = InvalidEmail;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Email> for String {
    fn from(email: Email) -> Self {
        email.0
    }
}

impl utoipa::PartialSchema for Email {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .format(Some(utoipa::openapi::SchemaFormat::KnownFormat(
                utoipa::openapi::KnownFormat::Email,
            )))
            .into()
    }
}

impl utoipa::ToSchema for Email {}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn normalizes_case_and_white_space() {
        let email = Email::parse("  Ann.Lee+food@Example.COM ").map(|e| e.0);
        assert_eq!(email, Ok("ann.lee+food@example.com".to_owned()));
    }

    #[test]
    fn accepts_international_domains() {
        assert!(Email::parse("kunde@bäckerei.de").is_ok());
    }

    #[test]
    fn refuses_malformed_addresses() {
        for bad in [
            "",
            "plain",
            "@example.com",
            "ann@",
            "ann@example",
            "ann@@example.com",
            "ann@exa mple.com",
            "ann lee@example.com",
            ".ann@example.com",
            "ann..lee@example.com",
            "ann@-example.com",
            "ann@example..com",
            "ann@127.0.0.1",
        ] {
            assert_eq!(Email::parse(bad), Err(InvalidEmail::Malformed), "{bad:?}");
        }
    }

    #[test]
    fn refuses_over_long_addresses() {
        let long_local = format!("{}@example.com", "a".repeat(65));
        assert_eq!(Email::parse(&long_local), Err(InvalidEmail::TooLong));
        let long_total = format!("a@{}.com", "b".repeat(260));
        assert_eq!(Email::parse(&long_total), Err(InvalidEmail::TooLong));
    }

    proptest! {
        #[test]
        fn parsing_is_idempotent_and_lower_case(
            local in "[A-Za-z0-9][A-Za-z0-9._+-]{0,20}[A-Za-z0-9]",
            domain in "[A-Za-z][A-Za-z0-9-]{0,10}[A-Za-z0-9]\\.[A-Za-z]{2,6}",
        ) {
            prop_assume!(!local.contains(".."));
            let email = Email::parse(&format!("{local}@{domain}")).expect("valid by construction");
            prop_assert_eq!(email.as_str(), email.as_str().to_lowercase());
            prop_assert_eq!(Email::parse(email.as_str()), Ok(email.clone()));
        }

        #[test]
        fn strings_without_exactly_one_at_sign_are_refused(input in "[^@]{0,40}") {
            prop_assert!(Email::parse(&input).is_err());
        }
    }
}
