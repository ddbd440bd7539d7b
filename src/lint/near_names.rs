//! "Did you mean" for a missing Secret: the defined names within a typo's
//! distance of the missing one, measured once per run for each missing
//! name. Hundreds of pods of a large repository name the same missing
//! Secret, and measuring the distance to every defined name for each of
//! them was a sixth of the CPU time on 510 MB (README, "Performance").
//! Which of the near names a pod can use (its namespace, its folders) is
//! still asked for each pod.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use super::typo::distance_within;

/// The most edits a name may be from another to pass for a typo of it: one
/// for short names, a third of the length for long ones.
fn typo_limit(name: &str) -> usize {
    (name.chars().count() / 3).clamp(1, 4)
}

/// Missing name -> the defined names near it, measured once each.
#[derive(Debug, Default)]
pub struct NearNames {
    found: Mutex<HashMap<String, Arc<[String]>>>,
    /// How many distances were measured, for the tests of the work done.
    measured: AtomicUsize,
}

/// A copy starts empty: what it holds is found again on demand.
impl Clone for NearNames {
    fn clone(&self) -> NearNames {
        NearNames::default()
    }
}

impl NearNames {
    /// The names of `defined` (each once) other than `name` and within a
    /// typo's distance of it, nearest first, then in `Ord` order. `defined`
    /// is read only the first time `name` is asked for.
    pub fn near<'a>(&self, name: &str, defined: impl Iterator<Item = &'a str>) -> Arc<[String]> {
        // A thread that panicked holding the lock left a map that is
        // whole (an insert is the only change): keep using it.
        let mut found = self.found.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(near) = found.get(name) {
            return Arc::clone(near);
        }
        // Measured under the lock: two threads asking for one name measure
        // it once, and other names wait no longer than a measurement.
        let limit = typo_limit(name);
        let mut near: Vec<(usize, &str)> = defined
            .filter(|candidate| *candidate != name)
            .filter_map(|candidate| {
                self.measured.fetch_add(1, Ordering::Relaxed);
                Some((distance_within(name, candidate, limit)?, candidate))
            })
            .collect();
        near.sort_unstable();
        let near: Arc<[String]> = near.into_iter().map(|(_, n)| n.to_string()).collect();
        found.insert(name.to_string(), Arc::clone(&near));
        near
    }

    /// How many distances were measured so far.
    #[cfg(test)]
    pub fn measured(&self) -> usize {
        self.measured.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_names_are_measured_once_per_missing_name() {
        let defined = ["corp-pull", "corp-pulx", "regcred", "tls", "corp-pul"];
        let memo = NearNames::default();
        let near = memo.near("corp-pul", defined.iter().copied());
        assert_eq!(&near[..], ["corp-pull", "corp-pulx"]);
        assert_eq!(memo.measured(), 4, "every other defined name, once");
        for _ in 0..100 {
            let again = memo.near("corp-pul", defined.iter().copied());
            assert_eq!(again, near);
        }
        assert_eq!(memo.measured(), 4, "asked again: nothing measured");
        assert_eq!(
            &memo.near("regcrd", defined.iter().copied())[..],
            ["regcred"]
        );
        assert_eq!(memo.measured(), 9);
        assert_eq!(memo.clone().measured(), 0, "a copy starts empty");
    }

    #[test]
    fn nearest_first_then_by_name() {
        let memo = NearNames::default();
        // Distance 2, 1, 1 from "registry-pull".
        let defined = ["registry-pxlx", "registry-pulz", "registry-pula"];
        let near = memo.near("registry-pull", defined.iter().copied());
        assert_eq!(
            &near[..],
            ["registry-pula", "registry-pulz", "registry-pxlx"]
        );
    }
}
