//! The system allocator, counting what is live and how many allocations were made: the
//! benches' memory and allocation reports read it (two relaxed atomic adds per
//! allocation), and the writing of those reports.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static MADE: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is passed to the system allocator unchanged; only counts are kept.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size(), Ordering::Relaxed);
        MADE.fetch_add(1, Ordering::Relaxed);
        // SAFETY: the caller's contract for `alloc` is passed on as is.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: the caller's contract for `dealloc` is passed on as is.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// The heap bytes `make` leaves allocated in what it returns.
#[allow(dead_code)]
pub fn heap_bytes<T>(make: impl FnOnce() -> T) -> (T, usize) {
    let before = LIVE.load(Ordering::Relaxed);
    let made = make();
    (made, LIVE.load(Ordering::Relaxed).saturating_sub(before))
}

/// How many allocations `make` makes (those it frees again included).
#[allow(dead_code)]
pub fn allocations<T>(make: impl FnOnce() -> T) -> (T, usize) {
    let before = MADE.load(Ordering::Relaxed);
    let made = make();
    (made, MADE.load(Ordering::Relaxed) - before)
}

/// Prints a report line and writes it to `target/criterion/{name}.json`, where the README
/// table's script reads it.
#[allow(dead_code)]
pub fn report(name: &str, json: &str) {
    println!("{name} {json}");
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("../criterion");
    if std::fs::create_dir_all(&dir).is_ok() {
        let _ = std::fs::write(dir.join(format!("{name}.json")), json);
    }
}
