//! argon2id password hashing, run on blocking threads with bounded concurrency so a burst of
//! logins neither stalls the async runtime nor exhausts memory (19 MiB per hash).
//!
//! A hashing slot is held by the blocking job itself, not by the request waiting for it: a
//! request that times out or disconnects stops waiting, but its hash still runs to the end
//! and keeps its slot until then, so abandoned requests cannot pile up unbounded hashing.
//! A request that cannot get a slot within the wait bound is refused as busy rather than
//! queued without end.

use std::sync::{Arc, Mutex, mpsc};
use std::time::Duration;

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

/// How long a request waits for a hashing slot before it is refused as busy.
pub const DEFAULT_MAX_WAIT: Duration = Duration::from_secs(5);

/// The [`PasswordHasher`] port over argon2id.
#[derive(Clone)]
pub struct Argon2Hasher {
    permits: Arc<Semaphore>,
    max_wait: Duration,
    /// Verified against when the account does not exist, so the work is the same.
    decoy: Arc<String>,
    /// The hashing threads' queue (the threads end when the last clone is dropped).
    jobs: Arc<Mutex<mpsc::Sender<Job>>>,
}

type Job = Box<dyn FnOnce() + Send>;

/// Starts `count` threads that run hashing jobs. Hashes run on these few long-lived
/// threads rather than on the runtime's blocking pool: each hash allocates 19 MiB, and the
/// allocator keeps freed memory per thread arena, so hashing on an ever-changing set of
/// blocking threads made a server's resident memory climb to hundreds of MiB; on fixed
/// threads it stays at about `count` × 19 MiB.
fn hashing_threads(count: usize) -> Result<mpsc::Sender<Job>, HashError> {
    let (sender, receiver) = mpsc::channel::<Job>();
    let receiver = Arc::new(Mutex::new(receiver));
    for index in 0..count {
        let receiver = Arc::clone(&receiver);
        std::thread::Builder::new()
            .name(format!("argon2-{index}"))
            .spawn(move || {
                loop {
                    let job = {
                        let queue = receiver
                            .lock()
                            .unwrap_or_else(std::sync::PoisonError::into_inner);
                        queue.recv()
                    };
                    match job {
                        // A panicking job must not take the thread (and its share of
                        // the capacity) with it; its caller sees the job end unanswered.
                        Ok(job) => {
                            let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
                        }
                        // Every hasher holding the queue is gone.
                        Err(_) => return,
                    }
                }
            })
            .map_err(|e| HashError::Failed(e.to_string()))?;
    }
    Ok(sender)
}

fn argon2() -> Result<Argon2<'static>, HashError> {
    let params = Params::new(MEMORY_KIB, ITERATIONS, LANES, None)
        .map_err(|e| HashError::Failed(e.to_string()))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

fn hash_blocking(secret: &str) -> Result<String, HashError> {
    let salt = SaltString::generate(&mut OsRng);
    argon2()?
        .hash_password(secret.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| HashError::Failed(e.to_string()))
}

impl Argon2Hasher {
    /// A hasher running at most `concurrency` hashes at once, refusing requests that wait
    /// longer than [`DEFAULT_MAX_WAIT`] for a slot.
    ///
    /// # Errors
    /// [`HashError`] if the parameters are refused (they are constants, so never in practice).
    pub fn new(concurrency: usize) -> Result<Self, HashError> {
        Self::with_max_wait(concurrency, DEFAULT_MAX_WAIT)
    }

    /// A hasher running at most `concurrency` hashes at once, refusing requests that wait
    /// longer than `max_wait` for a slot.
    ///
    /// # Errors
    /// [`HashError`] if the parameters are refused (they are constants, so never in practice).
    pub fn with_max_wait(concurrency: usize, max_wait: Duration) -> Result<Self, HashError> {
        let concurrency = concurrency.max(1);
        Ok(Self {
            permits: Arc::new(Semaphore::new(concurrency)),
            max_wait,
            decoy: Arc::new(hash_blocking("decoy password for unknown accounts")?),
            jobs: Arc::new(Mutex::new(hashing_threads(concurrency)?)),
        })
    }

    /// Runs `work` on a hashing thread once a slot is free. The slot moves into the job and
    /// is released when the job ends — not when the caller stops waiting for it.
    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, HashError> {
        let permit = tokio::time::timeout(self.max_wait, Arc::clone(&self.permits).acquire_owned())
            .await
            .map_err(|_| HashError::Busy)?
            .map_err(|e| HashError::Failed(e.to_string()))?;
        let (done, result) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move || {
            let _slot = permit;
            // The caller may have stopped waiting; the work is done either way.
            let _ = done.send(work());
        });
        self.jobs
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .send(job)
            .map_err(|_| HashError::Failed("the hashing threads have stopped".to_owned()))?;
        result
            .await
            .map_err(|_| HashError::Failed("a hashing job ended without a result".to_owned()))
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
                let parsed = PhcHash::new(&stored).map_err(|e| HashError::Failed(e.to_string()))?;
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

    /// Occupies a hashing slot with a job that runs until `release` is sent (or dropped).
    fn occupy(hasher: &Argon2Hasher) -> (tokio::task::JoinHandle<()>, std::sync::mpsc::Sender<()>) {
        let (release, released) = std::sync::mpsc::channel::<()>();
        let hasher = hasher.clone();
        let job = tokio::spawn(async move {
            let _ = hasher
                .run(move || {
                    let _ = released.recv();
                })
                .await;
        });
        (job, release)
    }

    #[tokio::test]
    async fn a_request_that_cannot_get_a_slot_in_time_is_refused_as_busy() {
        let hasher = Argon2Hasher::with_max_wait(1, Duration::from_millis(50)).expect("hasher");
        let (_job, release) = occupy(&hasher);
        tokio::time::sleep(Duration::from_millis(20)).await;

        let waited = hasher.run(|| ()).await;

        assert!(matches!(waited, Err(HashError::Busy)), "{waited:?}");
        release.send(()).expect("job running");
    }

    #[tokio::test]
    async fn an_abandoned_hash_keeps_its_slot_until_it_finishes() {
        let hasher = Argon2Hasher::with_max_wait(1, Duration::from_millis(200)).expect("hasher");
        let (job, release) = occupy(&hasher);
        tokio::time::sleep(Duration::from_millis(20)).await;
        // The request waiting for the hash goes away (timeout, disconnect)...
        job.abort();
        let _ = job.await;

        // ...but its hash is still running, so there is still no free slot.
        let while_running = hasher.run(|| ()).await;
        release
            .send(())
            .expect("the abandoned job is still running");
        let after = hasher.run(|| ()).await;

        assert!(
            matches!(while_running, Err(HashError::Busy)),
            "{while_running:?}"
        );
        assert!(after.is_ok(), "{after:?}");
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
