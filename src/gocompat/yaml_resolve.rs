//! go-yaml v2's `resolve("", s)`: what an untagged plain scalar `s` reads
//! back as. YAML 1.1 rules as go-yaml implements them, with Go's `strconv`
//! and `time.Parse` behaviour where go-yaml relies on them. The one table
//! for both of its uses: how kubectl quotes a string it prints
//! (`yaml_quote`: anything that would not read back as a string is quoted)
//! and what type the API server sees in a manifest (`manifest::yaml11`).

/// The tag go-yaml v2 gives an untagged plain scalar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolved {
    Str,
    Bool,
    Null,
    Int,
    Float,
    /// `2024-01-01`, `2001-12-14T21:59:43Z`: go-yaml's `parseTimestamp`.
    Timestamp,
}

/// resolveMap: the plain scalars go-yaml v2 looks up by their whole text
/// (`<<`, the merge key, is in it too but unreachable: `<` is not in
/// resolveTable, so `<<` is a string).
const BOOLS: &[&str] = &[
    "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON", "n", "N", "no", "No",
    "NO", "false", "False", "FALSE", "off", "Off", "OFF",
];
const NULLS: &[&str] = &["", "~", "null", "Null", "NULL"];
const FLOATS: &[&str] = &[
    ".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf",
    "-.INF",
];

/// The tag go-yaml v2 resolves the plain scalar `s` to.
pub fn resolve_plain(s: &str) -> Resolved {
    // resolveTable: only these first characters get a closer look.
    let hint = match s.as_bytes().first() {
        None => b'N',
        Some(b'+' | b'-') => b'S',
        Some(b'0'..=b'9') => b'D',
        Some(b'y' | b'Y' | b'n' | b'N' | b't' | b'T' | b'f' | b'F' | b'o' | b'O' | b'~') => b'M',
        Some(b'.') => b'.',
        Some(_) => return Resolved::Str,
    };
    if BOOLS.contains(&s) {
        return Resolved::Bool;
    }
    if NULLS.contains(&s) {
        return Resolved::Null;
    }
    if FLOATS.contains(&s) {
        return Resolved::Float;
    }
    match hint {
        b'.' if is_yaml_style_float(s) && go_float_in_range(s) => Resolved::Float,
        b'D' | b'S' => {
            if is_timestamp(s) {
                return Resolved::Timestamp;
            }
            let plain: String = s.chars().filter(|&c| c != '_').collect();
            if go_parses_as_int(&plain) {
                Resolved::Int
            } else if is_yaml_style_float(&plain) && go_float_in_range(&plain) {
                Resolved::Float
            } else {
                Resolved::Str
            }
        }
        _ => Resolved::Str,
    }
}

/// True when go-yaml would resolve the plain scalar `s` to a non-string tag.
pub fn resolves_to_non_string(s: &str) -> bool {
    resolve_plain(s) != Resolved::Str
}

/// go-yaml v2's float pattern `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`.
fn is_yaml_style_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'+' | b'-')) {
        i += 1;
    }
    let digits = |i: &mut usize| {
        let start = *i;
        while b.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i - start
    };
    if b.get(i) == Some(&b'.') {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    } else {
        if digits(&mut i) == 0 {
            return false;
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            digits(&mut i);
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// Go's `strconv.ParseFloat` fails with ErrRange on overflow.
fn go_float_in_range(s: &str) -> bool {
    s.parse::<f64>().is_ok_and(f64::is_finite)
}

/// `strconv.ParseInt(s, 0, 64)` or `strconv.ParseUint(s, 0, 64)` succeeds.
fn go_parses_as_int(s: &str) -> bool {
    let (negative, signed, rest) = match s.as_bytes().first() {
        Some(b'+') => (false, true, &s[1..]),
        Some(b'-') => (true, true, &s[1..]),
        _ => (false, false, s),
    };
    let lower = rest.to_ascii_lowercase();
    let (base, digits) = if let Some(d) = lower.strip_prefix("0x") {
        (16, d)
    } else if let Some(d) = lower.strip_prefix("0o") {
        (8, d)
    } else if let Some(d) = lower.strip_prefix("0b") {
        (2, d)
    } else if lower.len() > 1 && lower.starts_with('0') {
        (8, &lower[1..])
    } else {
        (10, lower.as_str())
    };
    if digits.is_empty() {
        return false;
    }
    let Ok(magnitude) = u64::from_str_radix(digits, base) else {
        return false;
    };
    if digits.starts_with('+') || digits.starts_with('-') {
        return false;
    }
    if !signed {
        return true; // within u64: ParseUint accepts it
    }
    // ParseInt with a sign: the magnitude must fit in int64.
    if negative {
        magnitude <= 1u64 << 63
    } else {
        magnitude < 1u64 << 63
    }
}

/// `^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$`: quoted by go-yaml
/// for other YAML 1.1 readers.
pub fn is_base60_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'+' | b'-')) {
        i += 1;
    }
    if !b.get(i).is_some_and(u8::is_ascii_digit) {
        return false;
    }
    while b.get(i).is_some_and(|c| c.is_ascii_digit() || *c == b'_') {
        i += 1;
    }
    let mut groups = 0;
    while b.get(i) == Some(&b':') {
        let start = i + 1;
        let mut j = start;
        while j < b.len() && j - start < 2 && b[j].is_ascii_digit() {
            j += 1;
        }
        let group = &b[start..j];
        let ok = match group {
            [d] => d.is_ascii_digit(),
            [a, d] => (b'0'..=b'5').contains(a) && d.is_ascii_digit(),
            _ => false,
        };
        if !ok {
            // Backtrack: `[0-5]?[0-9]` with one digit when the first
            // of two is not 0-5.
            if group.len() == 2 && group[1].is_ascii_digit() {
                return false;
            }
            return false;
        }
        groups += 1;
        i = j;
    }
    if groups == 0 {
        return false;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        while b.get(i).is_some_and(|c| c.is_ascii_digit() || *c == b'_') {
            i += 1;
        }
    }
    i == b.len()
}

/// go-yaml's `parseTimestamp`: a value starting with four digits and `-`
/// that Go's `time.Parse` accepts in one of four layouts.
fn is_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    let lead = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if lead != 4 || b.get(4) != Some(&b'-') {
        return false;
    }
    let Some((year, month, day, rest)) = parse_date(b) else {
        return false;
    };
    if day > days_in(month, year) {
        return false;
    }
    if rest.is_empty() {
        return true; // "2006-1-2"
    }
    match rest.first() {
        Some(b'T' | b't') => parse_clock(&rest[1..]).is_some_and(parse_zone),
        Some(b' ') => {
            // A space in a Go layout matches any run of spaces.
            let trimmed = trim_spaces(rest);
            parse_clock(trimmed).is_some_and(<[u8]>::is_empty)
        }
        _ => false,
    }
}

fn trim_spaces(b: &[u8]) -> &[u8] {
    let n = b.iter().take_while(|&&c| c == b' ').count();
    &b[n..]
}

/// Go's `getnum(s, false)`: one or two digits.
fn getnum(b: &[u8]) -> Option<(u32, &[u8])> {
    let d0 = *b.first().filter(|c| c.is_ascii_digit())?;
    match b.get(1).filter(|c| c.is_ascii_digit()) {
        Some(&d1) => Some((u32::from(d0 - b'0') * 10 + u32::from(d1 - b'0'), &b[2..])),
        None => Some((u32::from(d0 - b'0'), &b[1..])),
    }
}

fn expect(b: &[u8], c: u8) -> Option<&[u8]> {
    (b.first() == Some(&c)).then(|| &b[1..])
}

fn parse_date(b: &[u8]) -> Option<(u32, u32, u32, &[u8])> {
    let year = std::str::from_utf8(b.get(..4)?).ok()?.parse::<u32>().ok()?;
    let rest = expect(&b[4..], b'-')?;
    let (month, rest) = getnum(rest)?;
    if !(1..=12).contains(&month) {
        return None;
    }
    let rest = expect(rest, b'-')?;
    let (day, rest) = getnum(rest)?;
    if day < 1 {
        return None;
    }
    Some((year, month, day, rest))
}

fn days_in(month: u32, year: u32) -> u32 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// `15:4:5` with an optional `.999999999` fraction; returns what follows.
fn parse_clock(b: &[u8]) -> Option<&[u8]> {
    let (hour, rest) = getnum(b)?;
    let rest = expect(rest, b':')?;
    let (minute, rest) = getnum(rest)?;
    let rest = expect(rest, b':')?;
    let (second, mut rest) = getnum(rest)?;
    if hour >= 24 || minute >= 60 || second >= 60 {
        return None;
    }
    // Go takes `.` or `,` followed by digits as the fraction.
    if rest.len() >= 2 && matches!(rest[0], b'.' | b',') && rest[1].is_ascii_digit() {
        let n = 1 + rest[1..].iter().take_while(|c| c.is_ascii_digit()).count();
        rest = &rest[n..];
    }
    Some(rest)
}

/// `Z07:00`: `Z` or `±hh:mm`, and nothing after.
fn parse_zone(b: &[u8]) -> bool {
    if b == b"Z" {
        return true;
    }
    if b.len() != 6 || !matches!(b[0], b'+' | b'-') || b[3] != b':' {
        return false;
    }
    b[1..3].iter().chain(&b[4..6]).all(u8::is_ascii_digit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_strings() {
        for s in [
            "",
            "~",
            "y",
            "NO",
            "on",
            "123",
            "-1",
            "+0x1F",
            "0o17",
            "0b101",
            "0755",
            "09",
            "1_000",
            "1e3",
            "1.5",
            ".5",
            "-.inf",
            "2024-01-01",
            "2024-1-1",
            "2024-02-29",
            "2001-12-14t21:59:43.10-05:00",
            "2001-12-14 21:59:43.10",
            "2001-12-14T21:59:43Z",
            "99999999999999999999",
        ] {
            assert!(resolves_to_non_string(s), "{s}");
        }
        for s in [
            "abc",
            "nan",
            "a.b",
            "-",
            "0x",
            "1e400",
            "2023-02-29",
            "2024-13-01",
            "12345-01-01",
            "2024-01-01x",
            "0xffffffffffffffffff",
            "1.2.3",
            "+",
            ".",
            "yess",
            "<<",
        ] {
            assert!(!resolves_to_non_string(s), "{s}");
        }
    }

    #[test]
    fn base60() {
        assert!(is_base60_float("1:20"));
        assert!(is_base60_float("190:20:30.15"));
        assert!(!is_base60_float("1:70"));
        assert!(!is_base60_float("1:2a"));
    }
}
