//! A list of names (the files a run read) kept in one buffer: a large
//! repository reads hundreds of thousands of files, and a `String` each
//! cost its 24 bytes, its allocation's overhead and its rounding on top of
//! its text (docs/limits.md, "Memory").

use std::ops::Range;

/// Names, one after the other in one buffer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NameList {
    text: String,
    /// Where each name ends in `text` (it starts where the one before ends).
    ends: Vec<usize>,
}

impl NameList {
    pub fn push(&mut self, name: &str) {
        self.text.push_str(name);
        self.ends.push(self.text.len());
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The names, in their order.
    pub fn iter(&self) -> impl Iterator<Item = &str> + '_ {
        self.ranges()
            .map(|range| self.text.get(range).unwrap_or_default())
    }

    /// Adds every name of `other`, after these.
    pub fn append(&mut self, other: &NameList) {
        for name in other.iter() {
            self.push(name);
        }
    }

    /// Sorted (as `Vec<String>::sort` sorts) and each name once.
    pub fn sort_and_dedup(&mut self) {
        let mut ranges: Vec<Range<usize>> = self.ranges().collect();
        let text = &self.text;
        let name = |r: &Range<usize>| text.get(r.clone()).unwrap_or_default();
        ranges.sort_by(|a, b| name(a).cmp(name(b)));
        ranges.dedup_by(|a, b| name(a) == name(b));
        let mut sorted = NameList {
            text: String::with_capacity(ranges.iter().map(|r| r.len()).sum()),
            ends: Vec::with_capacity(ranges.len()),
        };
        for range in &ranges {
            sorted.push(name(range));
        }
        *self = sorted;
    }

    /// Without the room the buffers grew into.
    pub fn shrink_to_fit(&mut self) {
        self.text.shrink_to_fit();
        self.ends.shrink_to_fit();
    }

    fn ranges(&self) -> impl Iterator<Item = Range<usize>> + '_ {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        starts.zip(self.ends.iter().copied()).map(|(s, e)| s..e)
    }
}

impl<'a> FromIterator<&'a str> for NameList {
    fn from_iter<T: IntoIterator<Item = &'a str>>(names: T) -> Self {
        let mut list = NameList::default();
        for name in names {
            list.push(name);
        }
        list
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_come_back_as_pushed() {
        let names = ["b.yaml", "", "a/c\u{e9}.yaml", "a", ""];
        let list: NameList = names.iter().copied().collect();
        assert_eq!(list.len(), 5);
        assert_eq!(list.iter().collect::<Vec<_>>(), names);
        assert!(NameList::default().is_empty());
        assert_eq!(NameList::default().iter().count(), 0);
    }

    #[test]
    fn sorted_as_strings_are() {
        let names = [
            "b.yaml", "a/b", "a", "", "a/b", "\u{e9}", "B", "a-b", "a/b", "",
        ];
        let mut list: NameList = names.iter().copied().collect();
        let mut other: NameList = ["z", "a"].into_iter().collect();
        list.append(&other);
        list.sort_and_dedup();
        let mut expected: Vec<String> = names.iter().map(|s| s.to_string()).collect();
        expected.extend(["z".to_string(), "a".to_string()]);
        expected.sort();
        expected.dedup();
        assert_eq!(list.iter().collect::<Vec<_>>(), expected);
        other.sort_and_dedup();
        other.shrink_to_fit();
        assert_eq!(other.iter().collect::<Vec<_>>(), ["a", "z"]);
    }
}
