//! Giving freed memory back to the system (docs/limits.md, "Memory").
//!
//! glibc's allocator keeps what a thread frees in that thread's arena. The
//! walk parses files on worker threads and the index is built afterwards
//! on the main thread, so without this the peak is the trees of the
//! largest files plus the index, though the trees are long gone.

/// Returns freed heap memory of every arena to the system (glibc's
/// `malloc_trim`); nothing elsewhere.
pub fn release_freed() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only walks the allocator's own free lists.
    unsafe {
        libc::malloc_trim(0);
    }
}
