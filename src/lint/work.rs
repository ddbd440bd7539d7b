//! A count of the work that grows with a file's bytes, documents or
//! findings, kept in tests only: the tests that linting one file stays
//! linear compare it on n and 4n items, never a duration.

#[cfg(test)]
thread_local! {
    static UNITS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Counts `units` of work (a no-op outside tests).
#[inline]
pub fn count(units: usize) {
    #[cfg(test)]
    UNITS.with(|u| u.set(u.get() + units));
    #[cfg(not(test))]
    let _ = units;
}

/// The work counted on this thread since the last call.
#[cfg(test)]
pub fn take() -> usize {
    UNITS.with(|u| u.replace(0))
}
