//! Checking values against the document's constraints (`minLength`, `pattern`,
//! `minimum`, `maxItems`, closed enums, ...), written once for every generated crate.
//!
//! Generated types implement [`Validate`]: a struct checks each field's constraints and
//! asks the fields' own types to check themselves. A [`Checker`] walks the value and
//! collects every [`Violation`] with the JSON pointer of the value at fault, so a
//! request learns about all its problems at once.

use std::collections::{BTreeMap, HashMap};
use std::sync::{LazyLock, RwLock};

/// One constraint a value breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// The JSON pointer of the value within what was checked (empty for the whole).
    pub pointer: String,
    /// What is wrong with it.
    pub message: String,
}

/// Walks a value, collecting the constraints it breaks.
#[derive(Debug, Default)]
pub struct Checker {
    pointer: String,
    violations: Vec<Violation>,
}

/// A value that can check the constraints of the document on itself.
pub trait Validate {
    /// Records in `checker` every constraint `self` breaks.
    fn validate(&self, checker: &mut Checker);
}

impl Checker {
    /// A checker at the root of a value.
    pub fn new() -> Self {
        Checker::default()
    }

    /// Everything recorded.
    pub fn into_violations(self) -> Vec<Violation> {
        self.violations
    }

    /// Runs `check` on the member `key` of the current value.
    pub fn at(&mut self, key: &str, check: impl FnOnce(&mut Self)) {
        let length = self.pointer.len();
        self.pointer.push('/');
        self.pointer
            .push_str(&key.replace('~', "~0").replace('/', "~1"));
        check(self);
        self.pointer.truncate(length);
    }

    /// Runs `check` on the item `index` of the current array.
    pub fn at_index(&mut self, index: usize, check: impl FnOnce(&mut Self)) {
        self.at(&index.to_string(), check);
    }

    fn violation(&mut self, message: String) {
        self.violations.push(Violation {
            pointer: self.pointer.clone(),
            message,
        });
    }

    /// `minLength` and `maxLength`, counted in characters as JSON Schema does.
    pub fn length(&mut self, value: &str, min: Option<u64>, max: Option<u64>) {
        let length = u64::try_from(value.chars().count()).unwrap_or(u64::MAX);
        if let Some(min) = min.filter(|min| length < *min) {
            self.violation(format!(
                "must be at least {min} characters long, is {length}"
            ));
        }
        if let Some(max) = max.filter(|max| length > *max) {
            self.violation(format!(
                "must be at most {max} characters long, is {length}"
            ));
        }
    }

    /// `pattern`: an ECMA-262 regular expression the value must match somewhere.
    pub fn pattern(&mut self, value: &str, pattern: &'static str) {
        if !matches(pattern, value) {
            self.violation(format!("must match the pattern {pattern}"));
        }
    }

    /// `minimum` (with `exclusiveMinimum`).
    pub fn minimum(&mut self, value: f64, bound: f64, exclusive: bool) {
        if value < bound || exclusive && value <= bound {
            let relation = if exclusive {
                "greater than"
            } else {
                "at least"
            };
            self.violation(format!("must be {relation} {bound}, is {value}"));
        }
    }

    /// `maximum` (with `exclusiveMaximum`).
    pub fn maximum(&mut self, value: f64, bound: f64, exclusive: bool) {
        if value > bound || exclusive && value >= bound {
            let relation = if exclusive { "less than" } else { "at most" };
            self.violation(format!("must be {relation} {bound}, is {value}"));
        }
    }

    /// `minItems` and `maxItems`.
    pub fn items(&mut self, count: usize, min: Option<u64>, max: Option<u64>) {
        let count = u64::try_from(count).unwrap_or(u64::MAX);
        if let Some(min) = min.filter(|min| count < *min) {
            self.violation(format!("must have at least {min} items, has {count}"));
        }
        if let Some(max) = max.filter(|max| count > *max) {
            self.violation(format!("must have at most {max} items, has {count}"));
        }
    }

    /// An integer that must be one of an `enum`'s values.
    pub fn one_of_integers(&mut self, value: i128, allowed: &[i128]) {
        if !allowed.contains(&value) {
            let allowed: Vec<String> = allowed.iter().map(i128::to_string).collect();
            self.violation(format!("{value} is not one of {}", allowed.join(", ")));
        }
    }

    /// A value outside a closed enumeration (kept by its `Unknown` variant so that
    /// clients tolerate it, refused by servers).
    pub fn unknown_value(&mut self, value: &str, known: &[&str]) {
        self.violation(format!("{value:?} is not {}", crate::param::one_of(known)));
    }
}

/// Compiled patterns, each compiled once per process (patterns are literals of the
/// generated code, so the map stays small).
static PATTERNS: LazyLock<RwLock<HashMap<&'static str, Option<regex::Regex>>>> =
    LazyLock::new(Default::default);

fn matches(pattern: &'static str, value: &str) -> bool {
    if let Ok(patterns) = PATTERNS.read()
        && let Some(compiled) = patterns.get(pattern)
    {
        return compiled.as_ref().is_none_or(|regex| regex.is_match(value));
    }
    // The generator only emits patterns that compile; one that does not is not enforced.
    let compiled = regex::Regex::new(pattern).ok();
    let matched = compiled.as_ref().is_none_or(|regex| regex.is_match(value));
    if let Ok(mut patterns) = PATTERNS.write() {
        patterns.insert(pattern, compiled);
    }
    matched
}

impl<T: Validate> Validate for Option<T> {
    fn validate(&self, checker: &mut Checker) {
        if let Some(value) = self {
            value.validate(checker);
        }
    }
}

impl<T: Validate> Validate for Box<T> {
    fn validate(&self, checker: &mut Checker) {
        (**self).validate(checker);
    }
}

impl<T: Validate> Validate for Vec<T> {
    fn validate(&self, checker: &mut Checker) {
        for (index, item) in self.iter().enumerate() {
            checker.at_index(index, |checker| item.validate(checker));
        }
    }
}

impl<T: Validate> Validate for BTreeMap<String, T> {
    fn validate(&self, checker: &mut Checker) {
        for (key, value) in self {
            checker.at(key, |checker| value.validate(checker));
        }
    }
}

/// Values whose type says all there is to check.
macro_rules! nothing_to_check {
    ($($ty:ty),* $(,)?) => {$(
        impl Validate for $ty {
            fn validate(&self, _checker: &mut Checker) {}
        }
    )*};
}

nothing_to_check! {
    String, bool, i32, i64, u32, u64, f32, f64,
    serde_json::Value, serde_json::Map<String, serde_json::Value>,
    chrono::DateTime<chrono::FixedOffset>, chrono::NaiveDate, uuid::Uuid, bytes::Bytes,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_violation_is_recorded_with_its_pointer() {
        let mut checker = Checker::new();
        checker.at("id", |checker| {
            checker.length("abc", Some(24), Some(24));
            checker.pattern("abc", "^[0-9a-fA-F]{24}$");
        });
        checker.at("tags", |checker| {
            checker.items(0, Some(1), None);
            checker.at_index(3, |checker| checker.maximum(10.5, 10.0, false));
        });
        checker.at("a/b", |checker| checker.minimum(0.0, 0.0, true));
        let found: Vec<(String, String)> = checker
            .into_violations()
            .into_iter()
            .map(|v| (v.pointer, v.message))
            .collect();
        let expected = [
            ("/id", "must be at least 24 characters long, is 3"),
            ("/id", "must match the pattern ^[0-9a-fA-F]{24}$"),
            ("/tags", "must have at least 1 items, has 0"),
            ("/tags/3", "must be at most 10, is 10.5"),
            ("/a~1b", "must be greater than 0, is 0"),
        ];
        assert_eq!(found, expected.map(|(p, m)| (p.to_owned(), m.to_owned())));
    }

    #[test]
    fn lengths_count_characters_not_bytes() {
        let mut checker = Checker::new();
        checker.length("éé", None, Some(2));
        assert!(checker.into_violations().is_empty());
    }
}
