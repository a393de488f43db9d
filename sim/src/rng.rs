//! Random streams. Each (actor or item id, purpose) pair draws from its own ChaCha8 stream: the
//! run's key comes from the run seed, the stream number from the pair — never from processing
//! order. Adding an unrelated actor thus leaves every other stream untouched, and two variants of a
//! scenario run with the same seed share the random numbers of the actors they have in common
//! (common random numbers, DESIGN.md §3).
//!
//! ChaCha's 64-bit stream number (its nonce) gives each pair its own independent sequence under
//! one key, so opening a stream costs a copy, not a hash: trace format 2. Format 1 seeded every
//! stream with SHA-256 of (seed, id, purpose), a tenth of a ping test's time.

use rand::RngExt;
use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::SeedableRng;
use rand_distr::{Distribution, Exp1, StandardNormal};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use ttx_scenario::name::{FNV_OFFSET, fnv1a};
use ttx_scenario::{Dist, Name, dist::Z90};

pub struct Streams {
    /// Keyed by the run seed, at stream 0 and position 0: every stream starts as a copy of it.
    base: ChaCha8Rng,
    streams: HashMap<u64, ChaCha8Rng, BuildHasherDefault<Prehashed>>,
}

/// The map's keys are already FNV hashes of the stream's name: hashing them again (SipHash) only
/// costs time. The map is never iterated, so its order cannot reach a trace.
#[derive(Default)]
struct Prehashed(u64);

impl Hasher for Prehashed {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | b as u64;
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// What names a stream besides its purpose: an id, kept as a [`Name`] (whose FNV-1a hash was
/// computed when it was interned) or given as text.
pub trait StreamKey {
    /// The 64-bit FNV-1a hash of the key's text.
    fn fnv(&self) -> u64;
}

impl StreamKey for str {
    fn fnv(&self) -> u64 {
        fnv1a(FNV_OFFSET, self.as_bytes())
    }
}

impl StreamKey for String {
    fn fnv(&self) -> u64 {
        self.as_str().fnv()
    }
}

impl StreamKey for Name {
    fn fnv(&self) -> u64 {
        Name::fnv(*self)
    }
}

/// Stable 64-bit FNV-1a of `key`, a zero byte and `purpose`: the stream's number. A collision
/// would merge two streams; with 64 bits and a few thousand keys per run its probability is
/// around 1e-12. A key kept as a `Name` is not hashed again, which was a tenth of a ping test.
fn stream<K: StreamKey + ?Sized>(key: &K, purpose: &str) -> u64 {
    fnv1a(fnv1a(key.fnv(), &[0]), purpose.as_bytes())
}

impl Streams {
    pub fn new(seed: u64) -> Streams {
        Streams::with_capacity(seed, 0)
    }

    /// Room for `n` streams without rehashing: the engine passes the most a run has opened.
    pub fn with_capacity(seed: u64, n: usize) -> Streams {
        Streams {
            base: ChaCha8Rng::seed_from_u64(seed),
            streams: HashMap::with_capacity_and_hasher(n, Default::default()),
        }
    }

    /// How many streams this run has opened.
    pub fn opened(&self) -> usize {
        self.streams.len()
    }

    pub fn rng<K: StreamKey + ?Sized>(&mut self, key: &K, purpose: &str) -> &mut ChaCha8Rng {
        let stream = stream(key, purpose);
        let base = &self.base;
        self.streams.entry(stream).or_insert_with(|| {
            let mut rng = base.clone();
            rng.set_stream(stream);
            rng
        })
    }

    /// A uniform draw in [0, 1).
    pub fn uniform<K: StreamKey + ?Sized>(&mut self, key: &K, purpose: &str) -> f64 {
        self.rng(key, purpose).random::<f64>()
    }

    /// True with probability `p`.
    pub fn chance<K: StreamKey + ?Sized>(&mut self, key: &K, purpose: &str, p: f64) -> bool {
        self.uniform(key, purpose) < p
    }

    /// A latency in whole seconds, at least one.
    pub fn sample<K: StreamKey + ?Sized>(&mut self, key: &K, purpose: &str, dist: &Dist) -> i64 {
        // A fixed latency draws nothing, so its stream need not be opened.
        if let Dist::Fixed(s) = *dist {
            return s.0.max(1);
        }
        let rng = self.rng(key, purpose);
        let secs = match *dist {
            Dist::Fixed(s) => s.0 as f64,
            Dist::Uniform { min, max } => {
                min.0 as f64 + (max.0 - min.0) as f64 * rng.random::<f64>()
            }
            Dist::Exponential { mean } => {
                let e: f64 = Exp1.sample(rng);
                mean.0 as f64 * e
            }
            Dist::LogNormal { median, p90 } => {
                let sigma = (p90.0 as f64 / median.0 as f64).ln() / Z90;
                let z: f64 = StandardNormal.sample(rng);
                median.0 as f64 * (sigma * z).exp()
            }
        };
        (secs.round() as i64).max(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PINNED: u64 = 5_217_857_604_909_259_878;
    use ttx_scenario::Span;

    #[test]
    fn streams_are_keyed_not_ordered() {
        let mut a = Streams::new(7);
        let mut b = Streams::new(7);
        let x1 = a.uniform("borealia", "ack");
        let _ = b.uniform("aurelia", "ack"); // an unrelated draw first
        assert_eq!(b.uniform("borealia", "ack"), x1);
        assert_ne!(Streams::new(8).uniform("borealia", "ack"), x1);
    }

    /// Trace format 2's streams, pinned: a change here changes every run of every scenario, and
    /// needs a new trace format (scenarios/src/trace.rs).
    #[test]
    fn streams_are_those_of_trace_format_2() {
        let mut s = Streams::new(7);
        let first = s.rng("borealia", "ack").random::<u64>();
        let mut r = ChaCha8Rng::seed_from_u64(7);
        r.set_stream(stream("borealia", "ack"));
        assert_eq!(first, r.random::<u64>());
        assert_eq!(first, PINNED, "{first}");
        let by_name = Streams::new(7)
            .rng(&Name::new("borealia"), "ack")
            .random::<u64>();
        assert_eq!(by_name, first, "a name keys the stream its text does");
    }

    #[test]
    fn exponential_sample_mean_is_close() {
        let mut s = Streams::new(1);
        let d = Dist::Exponential {
            mean: Span::hours(4),
        };
        let n = 20_000;
        let mean = (0..n).map(|_| s.sample("x", "lat", &d) as f64).sum::<f64>() / n as f64;
        assert!((mean / 14_400.0 - 1.0).abs() < 0.03, "{mean}");
    }
}
