//! The allocator every ttx binary declares (`main.rs`, the benches): mimalloc. A run allocates
//! tens of thousands of small strings, on which glibc's allocator spent more instructions than
//! the engine spent on the model (docs/performance.md). A library cannot choose the global
//! allocator; each binary does, with `#[global_allocator] static A: ttx::MiMalloc = ttx::MiMalloc;`.
//!
//! Written on `libmimalloc-sys` rather than taken from the `mimalloc` crate, whose allocator
//! passes every request to `mi_malloc_aligned`: mimalloc 3 serves that quickly only for blocks
//! under 1 KiB or of a power-of-two size, and over-allocates the rest through a slow path (some
//! 250 instructions a call; a directory exercise's scorecard allocates hundreds of such blocks
//! per run). Plain `mi_malloc` already gives every alignment Rust asks for in practice — every
//! block is 8-aligned, and 16-aligned from 16 bytes up (`MI_MAX_ALIGN_SIZE`, asserted of every
//! block in mimalloc's `alloc.c`) — so the aligned calls are kept for larger alignments only.
//! The same problem and fix: purpleprotocol/mimalloc_rust pull request 170.

use core::alloc::{GlobalAlloc, Layout};
use core::ffi::c_void;
use libmimalloc_sys as ffi;

pub struct MiMalloc;

/// Whether a plain mimalloc block of `size` bytes is aligned to `align`.
#[inline]
fn plain(size: usize, align: usize) -> bool {
    align <= 8 || (align <= 16 && size >= 16)
}

/// A block for `layout` from `plain` when its block is aligned enough, else from `aligned`.
#[inline(always)]
fn block(
    layout: Layout,
    plain_fn: unsafe extern "C" fn(usize) -> *mut c_void,
    aligned_fn: unsafe extern "C" fn(usize, usize) -> *mut c_void,
) -> *mut u8 {
    let (size, align) = (layout.size(), layout.align());
    // SAFETY: mimalloc's allocation functions take any size and a power-of-two alignment.
    unsafe {
        if plain(size, align) {
            plain_fn(size).cast()
        } else {
            aligned_fn(size, align).cast()
        }
    }
}

unsafe impl GlobalAlloc for MiMalloc {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        block(layout, ffi::mi_malloc, ffi::mi_malloc_aligned)
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        block(layout, ffi::mi_zalloc, ffi::mi_zalloc_aligned)
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
        // SAFETY: `ptr` came from this allocator; `mi_free` frees plain and aligned blocks alike.
        unsafe { ffi::mi_free(ptr.cast::<c_void>()) }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let align = layout.align();
        // SAFETY: `ptr` came from this allocator. A plain reallocation returns `ptr` itself
        // (aligned as first asked) or a new plain block, aligned as `plain` says.
        unsafe {
            if plain(new_size, align) {
                ffi::mi_realloc(ptr.cast(), new_size).cast()
            } else {
                ffi::mi_realloc_aligned(ptr.cast(), new_size, align).cast()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::MiMalloc;
    use core::alloc::{GlobalAlloc, Layout};

    /// Blocks of every small size and of some large ones, under every alignment up to a page,
    /// come back aligned, zeroed when asked, and keep their bytes when grown and shrunk.
    #[test]
    fn blocks_are_aligned_and_keep_their_bytes() {
        let a = MiMalloc;
        let sizes = (1..=80).chain([96, 100, 1000, 1336, 4096, 5000, 70_000, 1 << 20]);
        for size in sizes {
            for align in [1, 2, 4, 8, 16, 32, 64, 4096] {
                let layout = Layout::from_size_align(size, align).unwrap();
                unsafe {
                    let zeroed = a.alloc_zeroed(layout);
                    assert_eq!(zeroed as usize % align, 0, "{size} {align} zeroed");
                    assert!((0..size).all(|i| *zeroed.add(i) == 0), "{size} {align}");
                    a.dealloc(zeroed, layout);
                    let p = a.alloc(layout);
                    assert_eq!(p as usize % align, 0, "{size} {align}");
                    for i in 0..size {
                        *p.add(i) = i as u8;
                    }
                    let big = size * 3 + 17;
                    let p = a.realloc(p, layout, big);
                    assert_eq!(p as usize % align, 0, "{size} {align} grown");
                    assert!((0..size).all(|i| *p.add(i) == i as u8), "{size} {align}");
                    let small = size.div_ceil(2);
                    let grown = Layout::from_size_align(big, align).unwrap();
                    let p = a.realloc(p, grown, small);
                    assert_eq!(p as usize % align, 0, "{size} {align} shrunk");
                    assert!((0..small).all(|i| *p.add(i) == i as u8), "{size} {align}");
                    a.dealloc(p, Layout::from_size_align(small, align).unwrap());
                }
            }
        }
    }
}
