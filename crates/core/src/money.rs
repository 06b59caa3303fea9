//! Money: integer minor units of an ISO 4217 currency. No floats, ever.

use std::fmt;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// An ISO 4217 currency code, upper case (`USD`, `EUR`, `JPY`, `KWD`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CurrencyCode(String);

/// Why a currency code was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("must be an ISO 4217 currency code such as \"EUR\"")]
pub struct InvalidCurrencyCode;

impl CurrencyCode {
    /// Parses a three-letter code, accepting lower case.
    ///
    /// # Errors
    /// [`InvalidCurrencyCode`] unless the input is three ASCII letters.
    pub fn parse(input: &str) -> Result<Self, InvalidCurrencyCode> {
        let code = input.trim();
        if code.len() == 3 && code.bytes().all(|b| b.is_ascii_alphabetic()) {
            Ok(Self(code.to_ascii_uppercase()))
        } else {
            Err(InvalidCurrencyCode)
        }
    }

    /// The code.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CurrencyCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for CurrencyCode {
    type Error = InvalidCurrencyCode;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<CurrencyCode> for String {
    fn from(code: CurrencyCode) -> Self {
        code.0
    }
}

impl utoipa::PartialSchema for CurrencyCode {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .pattern(Some("^[A-Z]{3}$"))
            .examples([serde_json::json!("EUR")])
            .into()
    }
}

impl utoipa::ToSchema for CurrencyCode {}

/// An amount of money: integer minor units (cents, fils…) of a currency. JPY has no minor
/// unit (1 = ¥1); KWD has three (1000 = 1 KWD).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Money {
    /// Amount in minor units.
    pub amount_minor: i64,
    /// Currency.
    pub currency: CurrencyCode,
}

impl Money {
    /// `amount_minor` of `currency`.
    #[must_use]
    pub fn new(amount_minor: i64, currency: CurrencyCode) -> Self {
        Self {
            amount_minor,
            currency,
        }
    }

    /// Zero of `currency`.
    #[must_use]
    pub fn zero(currency: CurrencyCode) -> Self {
        Self::new(0, currency)
    }
}
