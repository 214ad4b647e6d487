//! The per-token rate limit of the API (issue #13): a token bucket per
//! token id, in this instance's memory. Several instances each keep their
//! own buckets, so a token gets the limit once per instance; issue #14
//! moves the buckets to PostgreSQL.

use crate::config::ApiRate;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

/// Buckets not touched for this long are dropped when the map is swept.
const IDLE_SECONDS: f64 = 600.0;
/// The map is swept once it holds this many buckets.
const SWEEP_AT: usize = 10_000;

#[derive(Clone, Copy, Debug)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

/// Every token's bucket.
#[derive(Debug, Default)]
pub struct TokenBuckets {
    buckets: Mutex<HashMap<i64, Bucket>>,
}

impl TokenBuckets {
    /// Takes one request from `token`'s bucket: `Ok` when there was one,
    /// otherwise the whole seconds until there will be.
    pub fn take(&self, token: i64, rate: ApiRate) -> Result<(), u64> {
        self.take_at(token, rate, Instant::now())
    }

    fn take_at(&self, token: i64, rate: ApiRate, at: Instant) -> Result<(), u64> {
        let burst = rate.burst.max(1.0);
        let per_second = rate.per_second.max(0.001);
        // A poisoned lock only means another request panicked mid-update;
        // the numbers are still usable.
        let mut buckets = self
            .buckets
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if buckets.len() >= SWEEP_AT {
            buckets.retain(|_, b| at.duration_since(b.at).as_secs_f64() < IDLE_SECONDS);
        }
        let bucket = buckets.entry(token).or_insert(Bucket { tokens: burst, at });
        let refill = at.duration_since(bucket.at).as_secs_f64() * per_second;
        bucket.tokens = (bucket.tokens + refill).min(burst);
        bucket.at = at;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            let wait = (1.0 - bucket.tokens) / per_second;
            Err((wait.ceil() as u64).max(1))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_burst_passes_then_the_rate_refills() {
        let buckets = TokenBuckets::default();
        let rate = ApiRate {
            per_second: 10.0,
            burst: 50.0,
        };
        let start = Instant::now();
        for _ in 0..50 {
            assert_eq!(buckets.take_at(1, rate, start), Ok(()));
        }
        assert_eq!(buckets.take_at(1, rate, start), Err(1));
        assert_eq!(buckets.take_at(2, rate, start), Ok(()), "per token");
        let later = start + Duration::from_millis(250);
        assert_eq!(buckets.take_at(1, rate, later), Ok(()));
        assert_eq!(buckets.take_at(1, rate, later), Ok(()));
        assert_eq!(buckets.take_at(1, rate, later), Err(1));
    }

    #[test]
    fn retry_after_is_whole_seconds_at_a_slow_rate() {
        let buckets = TokenBuckets::default();
        let rate = ApiRate {
            per_second: 0.25,
            burst: 1.0,
        };
        let start = Instant::now();
        assert_eq!(buckets.take_at(7, rate, start), Ok(()));
        assert_eq!(buckets.take_at(7, rate, start), Err(4));
    }
}
