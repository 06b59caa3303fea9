//! Access tokens are HS256 JWTs naming the user and the session; refresh tokens are 256
//! random bits, handed out once and stored only as their SHA-256 digest.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use mercato_core::identity::{AccessClaims, RefreshTokenHash, SessionTokens, TokenError};
use mercato_core::ids::{SessionId, UserId};
use rand::RngCore as _;
use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};
use time::OffsetDateTime;
use uuid::Uuid;

const ISSUER: &str = "mercato";

#[derive(Serialize, Deserialize)]
struct Claims {
    iss: String,
    sub: Uuid,
    sid: Uuid,
    iat: i64,
    exp: i64,
}

/// The [`SessionTokens`] port: JWT (HS256) access tokens, random refresh tokens.
#[derive(Clone)]
pub struct JwtSessionTokens {
    encoding: EncodingKey,
    decoding: DecodingKey,
}

impl std::fmt::Debug for JwtSessionTokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("JwtSessionTokens(***)")
    }
}

impl JwtSessionTokens {
    /// Tokens signed with `secret` (at least 32 bytes; checked by the configuration).
    #[must_use]
    pub fn new(secret: &[u8]) -> Self {
        Self {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
        }
    }
}

impl SessionTokens for JwtSessionTokens {
    fn issue_access(&self, claims: &AccessClaims) -> String {
        let claims = Claims {
            iss: ISSUER.to_owned(),
            sub: claims.user_id.0,
            sid: claims.session_id.0,
            iat: claims.issued_at.unix_timestamp(),
            exp: claims.expires_at.unix_timestamp(),
        };
        // Encoding a plain struct with an HMAC key cannot fail.
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .unwrap_or_default()
    }

    fn verify_access(&self, token: &str, now: OffsetDateTime) -> Result<AccessClaims, TokenError> {
        let mut validation = Validation::new(Algorithm::HS256);
        // Expiry is checked below against the injected clock, not the library's.
        validation.validate_exp = false;
        validation.required_spec_claims.clear();
        validation.set_issuer(&[ISSUER]);
        let data = jsonwebtoken::decode::<Claims>(token, &self.decoding, &validation)
            .map_err(|_| TokenError::Invalid)?;
        let claims = data.claims;
        let expires_at =
            OffsetDateTime::from_unix_timestamp(claims.exp).map_err(|_| TokenError::Invalid)?;
        let issued_at =
            OffsetDateTime::from_unix_timestamp(claims.iat).map_err(|_| TokenError::Invalid)?;
        if expires_at <= now {
            return Err(TokenError::Expired);
        }
        Ok(AccessClaims {
            user_id: UserId(claims.sub),
            session_id: SessionId(claims.sid),
            issued_at,
            expires_at,
        })
    }

    fn new_refresh(&self) -> (String, RefreshTokenHash) {
        let mut bytes = [0_u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        let token = URL_SAFE_NO_PAD.encode(bytes);
        let hash = self.hash_refresh(&token);
        (token, hash)
    }

    fn hash_refresh(&self, token: &str) -> RefreshTokenHash {
        RefreshTokenHash(Sha256::digest(token.as_bytes()).to_vec())
    }
}

#[cfg(test)]
mod tests {
    use time::Duration;

    use super::*;

    fn claims(now: OffsetDateTime) -> AccessClaims {
        AccessClaims {
            user_id: UserId::new(),
            session_id: SessionId::new(),
            issued_at: now,
            expires_at: now + Duration::minutes(15),
        }
    }

    #[test]
    fn issued_tokens_verify_until_they_expire() {
        let tokens = JwtSessionTokens::new(&[7; 32]);
        let now = OffsetDateTime::from_unix_timestamp(1_800_000_000).expect("time");
        let issued = claims(now);
        let token = tokens.issue_access(&issued);
        assert_eq!(
            tokens.verify_access(&token, now + Duration::minutes(14)),
            Ok(issued)
        );
        assert_eq!(
            tokens.verify_access(&token, now + Duration::minutes(15)),
            Err(TokenError::Expired)
        );
    }

    #[test]
    fn tokens_signed_with_another_key_are_invalid() {
        let now = OffsetDateTime::from_unix_timestamp(1_800_000_000).expect("time");
        let forged = JwtSessionTokens::new(&[1; 32]).issue_access(&claims(now));
        let tokens = JwtSessionTokens::new(&[2; 32]);
        assert_eq!(tokens.verify_access(&forged, now), Err(TokenError::Invalid));
        assert_eq!(
            tokens.verify_access("not.a.jwt", now),
            Err(TokenError::Invalid)
        );
    }

    #[test]
    fn refresh_tokens_are_random_and_stored_hashed() {
        let tokens = JwtSessionTokens::new(&[7; 32]);
        let (first, first_hash) = tokens.new_refresh();
        let (second, _) = tokens.new_refresh();
        assert_ne!(first, second);
        assert_eq!(tokens.hash_refresh(&first), first_hash);
        assert_ne!(first_hash.0, first.as_bytes());
    }
}
