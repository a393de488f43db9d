//! Random streams. Each (actor or item id, purpose) pair draws from its own ChaCha8 stream: the
//! run's key comes from the run seed, the stream number from the pair — never from processing
//! order. Adding an unrelated actor thus leaves every other stream untouched, and two variants of a
//! scenario run with the same seed share the random numbers of the actors they have in common
//! (common random numbers, DESIGN.md §3).
//!
//! ChaCha's 64-bit stream number (its nonce) gives each pair its own independent sequence under
//! one key, so opening a stream costs a copy, not a hash: trace format 2. Format 1 seeded every
//! stream with SHA-256 of (seed, id, purpose), a tenth of a ping test's time.
//!
//! The numbers are `rand_chacha`'s `ChaCha8Rng` at that stream, word for word (the tests hold
//! them equal), but a stream computes its ChaCha blocks one at a time (`chacha20`'s core): most
//! streams draw once or twice, and `ChaCha8Rng` fills four blocks at the first draw and is a
//! 300-byte copy to open — together a sixth of a directory exercise's run.

use chacha20::cipher::{KeyIvInit, StreamCipherCore};
use rand::RngExt;
use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::{SeedableRng, TryRng};
use rand_distr::{Distribution, Exp1, StandardNormal};
use std::collections::HashMap;
use std::convert::Infallible;
use std::hash::{BuildHasherDefault, Hasher};
use ttx_scenario::name::{FNV_OFFSET, fnv1a};
use ttx_scenario::{Dist, Name, dist::Z90};

pub struct Streams {
    /// The run's ChaCha key, `ChaCha8Rng::seed_from_u64(seed)`'s: every stream is under it.
    key: [u8; 32],
    streams: HashMap<u64, Stream, BuildHasherDefault<Prehashed>>,
    /// The last log-normal's (median, p90) and its sigma: a run draws from a few distributions
    /// many times (every PoC of a directory answers on one), and the sigma is a logarithm.
    lognormal: Option<(i64, i64, f64)>,
}

/// One stream's position in its keystream: the block in hand and the next word of it.
pub struct Stream {
    key: [u8; 32],
    stream: u64,
    /// The block after the one in hand.
    next_block: u32,
    block: [u32; 16],
    /// The next word of `block` to give; 16 when it is used up.
    word: usize,
}

impl Stream {
    fn new(key: [u8; 32], stream: u64) -> Stream {
        Stream {
            key,
            stream,
            next_block: 0,
            block: [0; 16],
            word: 16,
        }
    }

    /// ChaCha8 block `next_block` of the stream: the IETF layout's counter word and first nonce
    /// word together are the original layout's 64-bit block counter, so a nonce of (0, stream)
    /// gives `ChaCha8Rng`'s blocks of that stream (for its first 2^32 blocks, 256 GiB).
    fn refill(&mut self) {
        let mut nonce = [0u8; 12];
        nonce[4..].copy_from_slice(&self.stream.to_le_bytes());
        let mut core = chacha20::ChaChaCore::<chacha20::R8, chacha20::variants::Ietf>::new(
            (&self.key).into(),
            (&nonce).into(),
        );
        core.set_block_pos(self.next_block);
        let mut bytes = Default::default();
        core.write_keystream_block(&mut bytes);
        for (w, b) in self.block.iter_mut().zip(bytes.chunks_exact(4)) {
            *w = u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
        }
        self.next_block = self.next_block.wrapping_add(1);
        self.word = 0;
    }

    fn word(&mut self) -> u32 {
        if self.word == 16 {
            self.refill();
        }
        let w = self.block[self.word];
        self.word += 1;
        w
    }
}

/// As `ChaCha8Rng` gives them: words in keystream order, a `u64` as the next two (low first),
/// bytes as whole words, little-endian, the rest of a word cut short thrown away.
impl TryRng for Stream {
    type Error = Infallible;

    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        Ok(self.word())
    }

    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        let lo = self.word() as u64;
        let hi = self.word() as u64;
        Ok(hi << 32 | lo)
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
        for chunk in dst.chunks_mut(4) {
            let w = self.word().to_le_bytes();
            chunk.copy_from_slice(&w[..chunk.len()]);
        }
        Ok(())
    }
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
            key: ChaCha8Rng::seed_from_u64(seed).get_seed(),
            streams: HashMap::with_capacity_and_hasher(n, Default::default()),
            lognormal: None,
        }
    }

    /// How many streams this run has opened.
    pub fn opened(&self) -> usize {
        self.streams.len()
    }

    #[inline(always)]
    pub fn rng<K: StreamKey + ?Sized>(&mut self, key: &K, purpose: &str) -> &mut Stream {
        let stream = stream(key, purpose);
        let run_key = self.key;
        self.streams
            .entry(stream)
            .or_insert_with(|| Stream::new(run_key, stream))
    }

    /// A uniform draw in [0, 1).
    #[inline(always)]
    pub fn uniform<K: StreamKey + ?Sized>(&mut self, key: &K, purpose: &str) -> f64 {
        self.rng(key, purpose).random::<f64>()
    }

    /// True with probability `p`.
    #[inline(always)]
    pub fn chance<K: StreamKey + ?Sized>(&mut self, key: &K, purpose: &str, p: f64) -> bool {
        self.uniform(key, purpose) < p
    }

    /// A latency in whole seconds, at least one.
    pub fn sample<K: StreamKey + ?Sized>(&mut self, key: &K, purpose: &str, dist: &Dist) -> i64 {
        // A fixed latency draws nothing, so its stream need not be opened.
        if let Dist::Fixed(s) = *dist {
            return s.0.max(1);
        }
        let mut sigma = 0.0;
        if let Dist::LogNormal { median, p90 } = *dist {
            sigma = match self.lognormal {
                Some((m, p, sigma)) if (m, p) == (median.0, p90.0) => sigma,
                _ => {
                    let sigma = (p90.0 as f64 / median.0 as f64).ln() / Z90;
                    self.lognormal = Some((median.0, p90.0, sigma));
                    sigma
                }
            };
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
            Dist::LogNormal { median, .. } => {
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

    /// A stream gives `ChaCha8Rng`'s numbers at that stream, across block boundaries, however
    /// they are asked for.
    #[test]
    fn streams_are_chacha8rng_word_for_word() {
        use rand::Rng;
        for (seed, stream) in [(7, 0), (7, 1), (1, u64::MAX), (99, 0x1234_5678_9abc_def0)] {
            let mut theirs = ChaCha8Rng::seed_from_u64(seed);
            theirs.set_stream(stream);
            let mut ours = Stream::new(ChaCha8Rng::seed_from_u64(seed).get_seed(), stream);
            for i in 0..300 {
                match i % 5 {
                    0 | 3 => assert_eq!(ours.next_u64(), theirs.next_u64(), "{seed} {stream} {i}"),
                    1 => assert_eq!(ours.next_u32(), theirs.next_u32()),
                    2 => assert_eq!(ours.random::<f64>(), theirs.random::<f64>()),
                    _ => {
                        let (mut a, mut b) = ([0u8; 7], [0u8; 7]);
                        ours.fill_bytes(&mut a);
                        theirs.fill_bytes(&mut b);
                        assert_eq!(a, b);
                    }
                }
            }
        }
    }

    /// The remembered sigma is the one of the distribution asked for, whichever came before.
    #[test]
    fn lognormal_draws_do_not_depend_on_the_distribution_drawn_before() {
        let a = Dist::lognormal(Span::hours(2), Span::hours(8));
        let b = Dist::lognormal(Span::hours(1), Span::hours(20));
        let mut mixed = Streams::new(3);
        for i in 0..60 {
            let d = if i % 3 == 0 { &a } else { &b };
            let key = format!("k{i}");
            let fresh = Streams::new(3).sample(key.as_str(), "lat", d);
            assert_eq!(mixed.sample(key.as_str(), "lat", d), fresh, "draw {i}");
        }
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
