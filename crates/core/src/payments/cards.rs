//! Card facts that need no gateway: whether a request smuggles a card number (we never
//! accept, store or log one — apps send the gateway's token), and whether a card has
//! expired.

use serde_json::Value;

/// Whether any string or number anywhere in `value` (keys included) holds what looks like a
/// card number: 13 to 19 digits, optionally grouped by spaces or dashes, that pass the Luhn
/// check. Such a request is refused before anything reads or logs it.
#[must_use]
pub fn holds_card_number(value: &Value) -> bool {
    match value {
        Value::String(text) => text_holds_card_number(text),
        Value::Number(number) => text_holds_card_number(&number.to_string()),
        Value::Array(items) => items.iter().any(holds_card_number),
        Value::Object(fields) => fields
            .iter()
            .any(|(key, value)| text_holds_card_number(key) || holds_card_number(value)),
        Value::Null | Value::Bool(_) => false,
    }
}

/// Whether `text` holds a Luhn-valid run of 13–19 digits (spaces and dashes between digits
/// are read as grouping). Longer runs are not card numbers.
#[must_use]
pub fn text_holds_card_number(text: &str) -> bool {
    let mut digits: Vec<u8> = Vec::with_capacity(19);
    let check = |digits: &[u8]| (13..=19).contains(&digits.len()) && luhn_valid(digits);
    let mut previous_digit = false;
    for c in text.chars() {
        if let Some(d) = c.to_digit(10) {
            digits.push(u8::try_from(d).unwrap_or(0));
            previous_digit = true;
        } else if (c == ' ' || c == '-') && previous_digit {
            // Grouping: the run goes on.
        } else {
            if check(&digits) {
                return true;
            }
            digits.clear();
            previous_digit = false;
        }
    }
    check(&digits)
}

fn luhn_valid(digits: &[u8]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            let d = u32::from(d);
            if i % 2 == 1 {
                let doubled = d * 2;
                if doubled > 9 { doubled - 9 } else { doubled }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// Whether a card valid through `exp_month`/`exp_year` has expired by `(year, month)`
/// (a card works through the last day of its expiry month).
#[must_use]
pub fn is_expired(exp_month: u8, exp_year: u16, today: (i32, u8)) -> bool {
    let (year, month) = today;
    (i32::from(exp_year), exp_month) < (year, month)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use serde_json::json;

    use super::*;

    #[test]
    fn test_card_numbers_are_found_wherever_they_hide() {
        for body in [
            json!({"token": "4242424242424242"}),
            json!({"token": "tok_visa", "card": {"number": "4242 4242 4242 4242"}}),
            json!({"note": "my card is 5555-5555-5555-4444 thanks"}),
            json!({"number": 4_000_056_655_665_556_u64}),
            json!(["378282246310005"]),
            json!({"4111111111111111": true}),
        ] {
            assert!(holds_card_number(&body), "{body}");
        }
    }

    #[test]
    fn tokens_ids_and_ordinary_numbers_pass() {
        for body in [
            json!({"token": "tok_visa", "makeDefault": true}),
            json!({"token": "pm_1PgW2n2eZvKYlo2C9dXyZ0aB"}),
            json!({"phone": "+4930123456", "amount": 1250}),
            // 16 digits, not Luhn-valid.
            json!({"reference": "1234567812345678"}),
            // Too short to be a card.
            json!({"id": "424242424242"}),
        ] {
            assert!(!holds_card_number(&body), "{body}");
        }
    }

    #[test]
    fn a_card_works_through_its_expiry_month() {
        assert!(!is_expired(12, 2026, (2026, 12)));
        assert!(is_expired(11, 2026, (2026, 12)));
        assert!(!is_expired(1, 2027, (2026, 12)));
    }

    proptest! {
        /// Any Luhn-completed number of card length is caught, however it is grouped.
        #[test]
        fn every_luhn_valid_number_is_caught(
            body in prop::collection::vec(0u8..10, 12..=18),
            grouping in prop::sample::select(vec!["", " ", "-"]),
        ) {
            // Complete the number with its check digit.
            let check = (0u8..10)
                .find(|&d| luhn_valid(&[body.as_slice(), &[d]].concat()))
                .expect("one check digit completes any number");
            let digits: Vec<String> = body
                .iter()
                .chain(std::iter::once(&check))
                .map(u8::to_string)
                .collect();
            let text = digits
                .chunks(4)
                .map(|group| group.concat())
                .collect::<Vec<_>>()
                .join(grouping);
            let sentence = format!("card {text} end");
            prop_assert!(text_holds_card_number(&sentence), "{}", sentence);
        }
    }
}
