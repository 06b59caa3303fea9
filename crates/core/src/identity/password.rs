//! Passwords: the policy a new password must meet, and the stored hash.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The shortest password accepted, in characters.
pub const MIN_PASSWORD_CHARS: usize = 8;
/// The longest password accepted, in characters. Bounds hashing cost per request.
pub const MAX_PASSWORD_CHARS: usize = 128;

/// A new password that meets the policy. Its `Debug` never shows the secret.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

/// Why a new password was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WeakPassword {
    /// Fewer than [`MIN_PASSWORD_CHARS`] characters.
    #[error("must be at least 8 characters long")]
    TooShort,
    /// More than [`MAX_PASSWORD_CHARS`] characters.
    #[error("must be at most 128 characters long")]
    TooLong,
    /// Easy to guess: common, a pattern, or built from the user's own details.
    #[error("is too easy to guess; try a longer phrase of unrelated words")]
    Guessable,
}

impl Password {
    /// Checks a candidate password against the policy: 8–128 characters, no composition
    /// rules, and not guessable. `user_inputs` (email, name…) count against it.
    ///
    /// Guessability is estimated with zxcvbn and must reach score 3 ("safely unguessable":
    /// more than 10^8 guesses). Only the first 64 characters are scored; zxcvbn's cost grows
    /// with length, and a longer password that starts strong is stronger still.
    ///
    /// # Errors
    /// [`WeakPassword`] naming the first rule broken.
    pub fn parse(candidate: &str, user_inputs: &[&str]) -> Result<Self, WeakPassword> {
        let chars = candidate.chars().count();
        if chars < MIN_PASSWORD_CHARS {
            return Err(WeakPassword::TooShort);
        }
        if chars > MAX_PASSWORD_CHARS {
            return Err(WeakPassword::TooLong);
        }
        let scored: String = candidate.chars().take(64).collect();
        let estimate = zxcvbn::zxcvbn(&scored, user_inputs);
        if (estimate.score() as u8) < 3 {
            return Err(WeakPassword::Guessable);
        }
        Ok(Self(candidate.to_owned()))
    }

    /// The secret, for the hasher only.
    #[must_use]
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(***)")
    }
}

/// A password hash in PHC string format (`$argon2id$v=19$m=19456,t=2,p=1$…`).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PasswordHash(pub String);

impl fmt::Debug for PasswordHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PasswordHash(***)")
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn accepts_a_long_passphrase() {
        assert!(Password::parse("correct horse battery staple", &[]).is_ok());
        assert!(Password::parse("mercato-demo-2026", &[]).is_ok());
    }

    #[test]
    fn refuses_common_passwords() {
        for common in [
            "password",
            "password1",
            "12345678",
            "qwertyuiop",
            "iloveyou123",
            "aaaaaaaaaaaa",
        ] {
            assert_eq!(
                Password::parse(common, &[]),
                Err(WeakPassword::Guessable),
                "{common}"
            );
        }
    }

    #[test]
    fn refuses_passwords_built_from_the_users_details() {
        let inputs = ["annalee@example.com", "Anna Lee"];
        assert_eq!(
            Password::parse("annalee2024", &inputs),
            Err(WeakPassword::Guessable)
        );
    }

    #[test]
    fn counts_characters_not_bytes() {
        // Seven characters, 21 bytes.
        assert_eq!(
            Password::parse("日本語のパスワ", &[]),
            Err(WeakPassword::TooShort)
        );
    }

    #[test]
    fn debug_output_hides_the_secret() {
        let password = Password::parse("correct horse battery staple", &[]).expect("strong");
        assert!(!format!("{password:?}").contains("horse"));
        assert!(!format!("{:?}", PasswordHash("$argon2id$secret".into())).contains("secret"));
    }

    proptest! {
        #[test]
        fn anything_shorter_than_eight_characters_is_refused(candidate in ".{0,7}") {
            prop_assert_eq!(Password::parse(&candidate, &[]), Err(WeakPassword::TooShort));
        }

        #[test]
        fn anything_longer_than_128_characters_is_refused(candidate in ".{129,200}") {
            prop_assert_eq!(Password::parse(&candidate, &[]), Err(WeakPassword::TooLong));
        }

        #[test]
        fn random_long_passwords_are_accepted(candidate in "[a-zA-Z0-9]{24,128}") {
            // 24 random alphanumerics carry ~140 bits; only degenerate draws could fail.
            prop_assume!(candidate.chars().collect::<std::collections::HashSet<_>>().len() > 8);
            prop_assert!(Password::parse(&candidate, &[]).is_ok());
        }
    }
}
