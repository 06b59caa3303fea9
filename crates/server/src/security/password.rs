//! argon2id password hashing, run on blocking threads with bounded concurrency so a burst of
//! logins neither stalls the async runtime nor exhausts memory (19 MiB per hash).

use std::sync::Arc;

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{
    PasswordHash as PhcHash, PasswordHasher as _, PasswordVerifier as _, SaltString,
};
use argon2::{Algorithm, Argon2, Params, Version};
use async_trait::async_trait;
use mercato_core::identity::{HashError, Password, PasswordHash, PasswordHasher};
use tokio::sync::Semaphore;

/// OWASP's argon2id baseline: 19 MiB, two passes, one lane.
const MEMORY_KIB: u32 = 19_456;
const ITERATIONS: u32 = 2;
const LANES: u32 = 1;

/// The [`PasswordHasher`] port over argon2id.
#[derive(Clone)]
pub struct Argon2Hasher {
    permits: Arc<Semaphore>,
    /// Verified against when the account does not exist, so the work is the same.
    decoy: Arc<String>,
}

fn argon2() -> Result<Argon2<'static>, HashError> {
    let params =
        Params::new(MEMORY_KIB, ITERATIONS, LANES, None).map_err(|e| HashError(e.to_string()))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

fn hash_blocking(secret: &str) -> Result<String, HashError> {
    let salt = SaltString::generate(&mut OsRng);
    argon2()?
        .hash_password(secret.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| HashError(e.to_string()))
}

impl Argon2Hasher {
    /// A hasher running at most `concurrency` hashes at once.
    ///
    /// # Errors
    /// [`HashError`] if the parameters are refused (they are constants, so never in practice).
    pub fn new(concurrency: usize) -> Result<Self, HashError> {
        Ok(Self {
            permits: Arc::new(Semaphore::new(concurrency.max(1))),
            decoy: Arc::new(hash_blocking("decoy password for unknown accounts")?),
        })
    }

    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, HashError> {
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|e| HashError(e.to_string()))?;
        tokio::task::spawn_blocking(work)
            .await
            .map_err(|e| HashError(e.to_string()))
    }
}

#[async_trait]
impl PasswordHasher for Argon2Hasher {
    async fn hash(&self, password: &Password) -> Result<PasswordHash, HashError> {
        let secret = password.expose().to_owned();
        self.run(move || hash_blocking(&secret))
            .await?
            .map(PasswordHash)
    }

    async fn verify(
        &self,
        candidate: &str,
        hash: Option<&PasswordHash>,
    ) -> Result<bool, HashError> {
        let known = hash.is_some();
        let stored = hash.map_or_else(|| self.decoy.as_str().to_owned(), |h| h.0.clone());
        let candidate = candidate.to_owned();
        let matches = self
            .run(move || -> Result<bool, HashError> {
                let parsed = PhcHash::new(&stored).map_err(|e| HashError(e.to_string()))?;
                Ok(argon2()?
                    .verify_password(candidate.as_bytes(), &parsed)
                    .is_ok())
            })
            .await??;
        Ok(known && matches)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_are_argon2id_phc_strings_that_verify() {
        let hasher = Argon2Hasher::new(2).expect("hasher");
        let password = Password::parse("correct horse battery staple", &[]).expect("strong");
        let hash = hasher.hash(&password).await.expect("hash");
        assert!(
            hash.0.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{}",
            hash.0
        );
        assert!(
            hasher
                .verify("correct horse battery staple", Some(&hash))
                .await
                .expect("verify")
        );
        assert!(
            !hasher
                .verify("wrong horse battery staple", Some(&hash))
                .await
                .expect("verify")
        );
    }

    #[tokio::test]
    async fn an_unknown_account_never_verifies() {
        let hasher = Argon2Hasher::new(1).expect("hasher");
        assert!(
            !hasher
                .verify("decoy password for unknown accounts", None)
                .await
                .expect("verify")
        );
    }
}
