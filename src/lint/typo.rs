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
pub fn distance_within(a: &str, b: &str, limit: usize) -> Option<usize> {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > limit {
        return None;
    }
    // Optimal string alignment distance, three rows.
    let width = b.len() + 1;
    let mut before: Vec<usize> = vec![0; width];
    let mut previous: Vec<usize> = (0..width).collect();
    let mut current: Vec<usize> = vec![0; width];
    for i in 1..=a.len() {
        current[0] = i;
        let mut row_min = current[0];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (previous[j] + 1)
                .min(current[j - 1] + 1)
                .min(previous[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(before[j - 2] + 1);
            }
            current[j] = best;
            row_min = row_min.min(best);
        }
        if row_min > limit {
            return None;
        }
        std::mem::swap(&mut before, &mut previous);
        std::mem::swap(&mut previous, &mut current);
    }
    let distance = previous[b.len()];
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
}
