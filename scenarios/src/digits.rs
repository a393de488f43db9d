//! Integers written into a byte buffer without `format!`: message ids and scoring reasons are
//! written by the thousand per run, and the formatting machinery cost more than the rest of them.

/// Writes `n` in decimal into `buf`, ending just before `end`, and returns where it starts.
/// `buf` needs room for up to 20 digits before `end`.
pub fn decimal_before(buf: &mut [u8], end: usize, n: u64) -> usize {
    let mut at = end;
    let mut rest = n;
    loop {
        at -= 1;
        buf[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            return at;
        }
    }
}
