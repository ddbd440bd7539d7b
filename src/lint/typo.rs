//! Whether one name is a typo of another: the edit distance (insertions,
//! deletions, substitutions, and swaps of two neighbours) between them, when
//! it is small. Used for "did you mean" suggestions.

/// The candidate `word` was most likely meant to be: the nearest one within
/// a typo's distance (a quarter of its length, 1 to 3 edits), the first of
/// the nearest in `Ord` order on a tie.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (word.chars().count() / 4).clamp(1, 3);
    candidates
        .into_iter()
        .filter_map(|c| Some((distance_within(word, c, limit)?, c)))
        .min()
        .map(|(_, c)| c)
}

/// The edit distance between `a` and `b` when it is at most `limit`.
/// ASCII names (nearly all) are compared as bytes, with no copy: a pod
/// naming a missing Secret asks this of every Secret name there is.
pub fn distance_within(a: &str, b: &str, limit: usize) -> Option<usize> {
    if a.is_ascii() && b.is_ascii() {
        return alignment_within(a.as_bytes(), b.as_bytes(), limit);
    }
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    alignment_within(&a, &b, limit)
}

/// Optimal string alignment distance of `a` and `b` when at most `limit`:
/// three rows of one buffer, given up as soon as a row exceeds `limit`.
fn alignment_within<T: PartialEq>(a: &[T], b: &[T], limit: usize) -> Option<usize> {
    if a.len().abs_diff(b.len()) > limit {
        return None;
    }
    let width = b.len() + 1;
    let mut rows = vec![0usize; 3 * width];
    // Where the rows two before, one before and being filled start.
    let (mut before, mut previous, mut current) = (0, width, 2 * width);
    for (j, cell) in rows[previous..current].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        rows[current] = i;
        let mut row_min = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (rows[previous + j] + 1)
                .min(rows[current + j - 1] + 1)
                .min(rows[previous + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(rows[before + j - 2] + 1);
            }
            rows[current + j] = best;
            row_min = row_min.min(best);
        }
        if row_min > limit {
            return None;
        }
        (before, previous, current) = (previous, current, before);
    }
    let distance = rows[previous + b.len()];
    (distance <= limit).then_some(distance)
}

#[cfg(test)]
mod tests {
    use super::distance_within;

    #[test]
    fn typos_are_near_and_other_names_far() {
        assert_eq!(distance_within("corp-pul", "corp-pull", 2), Some(1));
        assert_eq!(distance_within("regcerd", "regcred", 2), Some(1));
        assert_eq!(distance_within("regcred", "regcred", 2), Some(0));
        assert_eq!(distance_within("fooSecret", "foosecret", 2), Some(1));
        assert_eq!(distance_within("regcred", "tls-cert", 2), None);
        assert_eq!(distance_within("", "abcd", 2), None);
        assert_eq!(distance_within("ab", "", 2), Some(2));
    }

    /// The whole optimal-string-alignment table, no limit, no early exit.
    fn reference(a: &str, b: &str) -> usize {
        let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
        let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
        for (i, row) in d.iter_mut().enumerate() {
            row[0] = i;
        }
        for (j, cell) in d[0].iter_mut().enumerate() {
            *cell = j;
        }
        for i in 1..=a.len() {
            for j in 1..=b.len() {
                let cost = usize::from(a[i - 1] != b[j - 1]);
                let mut best = (d[i - 1][j] + 1)
                    .min(d[i][j - 1] + 1)
                    .min(d[i - 1][j - 1] + cost);
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    best = best.min(d[i - 2][j - 2] + 1);
                }
                d[i][j] = best;
            }
        }
        d[a.len()][b.len()]
    }

    #[test]
    fn the_bounded_distance_is_the_whole_tables_within_its_limit() {
        let names = [
            "",
            "a",
            "ab",
            "ba",
            "abc",
            "acb",
            "regcred",
            "regcerd",
            "rgcred",
            "regcreds",
            "corp-pull",
            "corp-pul",
            "crop-pull",
            "pull-corp",
            "tls-cert",
            "regcred-v2",
            "café",
            "cafe",
            "cafés",
            "éa",
            "aé",
        ];
        for a in names {
            for b in names {
                for limit in 0..4 {
                    let whole = reference(a, b);
                    let expected = (whole <= limit).then_some(whole);
                    assert_eq!(
                        distance_within(a, b, limit),
                        expected,
                        "{a:?} {b:?} {limit}"
                    );
                }
            }
        }
        assert_eq!(distance_within("café", "cafe", 2), Some(1));
        assert_eq!(distance_within("cafés", "cafe", 2), Some(2));
    }
}
