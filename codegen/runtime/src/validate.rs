//! Checking values against the document's constraints (`minLength`, `pattern`,
//! `minimum`, `maxItems`, closed enums, ...), written once for every generated crate.
//!
//! A value is checked against [`Rules`] (the constraints the document puts where it
//! stands) through [`Check`], which strings, numbers, `Option`, `Box`, `Vec` and maps
//! implement here once: an absent value has nothing to check, an array checks its count
//! and each item. Generated types with constraints inside them implement [`Validate`]
//! (and so `Check`): a struct checks each constrained field, one line each. A
//! [`Checker`] walks the value and collects every [`Violation`] with the JSON pointer of
//! the value at fault, so a request learns about all its problems at once.

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

/// A generated type with constraints somewhere inside it, which it checks on itself.
pub trait Validate {
    /// Records in `checker` every constraint `self` breaks.
    fn validate(&self, checker: &mut Checker);
}

/// The constraints the document puts on a value where it stands (JSON Schema's
/// validation keywords), as a constant of the generated code. Those that do not apply
/// to the value's type are never given.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rules {
    /// `minLength`.
    pub min_length: Option<u64>,
    /// `maxLength`.
    pub max_length: Option<u64>,
    /// `pattern`.
    pub pattern: Option<&'static str>,
    /// A number's `minimum`, and whether it is exclusive (compared as `f64`).
    pub minimum: Option<(f64, bool)>,
    /// A number's `maximum`, and whether it is exclusive (compared as `f64`).
    pub maximum: Option<(f64, bool)>,
    /// An integer's least value (its `minimum`, made inclusive), compared exactly.
    pub least: Option<i128>,
    /// An integer's greatest value (its `maximum`, made inclusive), compared exactly.
    pub most: Option<i128>,
    /// An integer's `enum`.
    pub integers: Option<&'static [i128]>,
    /// `minItems`.
    pub min_items: Option<u64>,
    /// `maxItems`.
    pub max_items: Option<u64>,
    /// The rules of an array's items.
    pub items: Option<&'static Rules>,
}

impl Rules {
    /// No constraint: the value's type says all there is to check.
    pub const NONE: Rules = Rules {
        min_length: None,
        max_length: None,
        pattern: None,
        minimum: None,
        maximum: None,
        least: None,
        most: None,
        integers: None,
        min_items: None,
        max_items: None,
        items: None,
    };
}

/// Appends `/` and `key` to the JSON pointer `pointer`, escaped as RFC 6901 says
/// (`~` as `~0`, `/` as `~1`).
pub(crate) fn push_token(pointer: &mut String, key: &str) {
    pointer.push('/');
    for character in key.chars() {
        match character {
            '~' => pointer.push_str("~0"),
            '/' => pointer.push_str("~1"),
            other => pointer.push(other),
        }
    }
}

/// A value that can be checked against [`Rules`]: the one entry point of validation.
pub trait Check {
    /// Records in `checker` every rule `self` breaks, and every constraint of its own.
    fn check(&self, rules: &Rules, checker: &mut Checker);
}

impl<T: Validate> Check for T {
    fn check(&self, _rules: &Rules, checker: &mut Checker) {
        self.validate(checker);
    }
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
        // This runs for every member checked, most of which break no rule: the key
        // is escaped in place, without a string of its own.
        push_token(&mut self.pointer, key);
        check(self);
        self.pointer.truncate(length);
    }

    /// Checks the member `key` of the current value against `rules`.
    pub fn check<T: Check + ?Sized>(&mut self, key: &str, value: &T, rules: &Rules) {
        self.at(key, |checker| value.check(rules, checker));
    }

    /// Checks the array count of the member `key` (of any item type) against the
    /// `minItems` and `maxItems` of `rules`: for arrays of types that check nothing.
    pub fn count<T: Count + ?Sized>(&mut self, key: &str, value: &T, rules: &Rules) {
        if let Some(count) = value.count() {
            self.at(key, |checker| {
                checker.items(count, rules.min_items, rules.max_items);
            });
        }
    }

    /// Runs `check` on the item `index` of the current array.
    pub fn at_index(&mut self, index: usize, check: impl FnOnce(&mut Self)) {
        use std::fmt::Write as _;
        let length = self.pointer.len();
        // Writing to a `String` cannot fail.
        let _ = write!(self.pointer, "/{index}");
        check(self);
        self.pointer.truncate(length);
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

    /// An integer's bounds, inclusive and exact.
    pub fn range(&mut self, value: i128, least: Option<i128>, most: Option<i128>) {
        if let Some(least) = least.filter(|least| value < *least) {
            self.violation(format!("must be at least {least}, is {value}"));
        }
        if let Some(most) = most.filter(|most| value > *most) {
            self.violation(format!("must be at most {most}, is {value}"));
        }
    }

    /// An integer that must be one of an `enum`'s values.
    pub fn one_of_integers(&mut self, value: i128, allowed: &[i128]) {
        if !allowed.contains(&value) {
            let allowed: Vec<String> = allowed.iter().map(i128::to_string).collect();
            self.violation(format!("{value} is not one of {}", allowed.join(", ")));
        }
    }

    /// A member that is absent although `present` is there (3.1 `dependentRequired`).
    pub fn required_with(&mut self, present: &str) {
        self.violation(format!("is required when `{present}` is present"));
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
    let compiled = crate::pattern::compile(pattern).ok();
    let matched = compiled.as_ref().is_none_or(|regex| regex.is_match(value));
    if let Ok(mut patterns) = PATTERNS.write() {
        patterns.insert(pattern, compiled);
    }
    matched
}

impl Check for String {
    fn check(&self, rules: &Rules, checker: &mut Checker) {
        if rules.min_length.is_some() || rules.max_length.is_some() {
            checker.length(self, rules.min_length, rules.max_length);
        }
        if let Some(pattern) = rules.pattern {
            checker.pattern(self, pattern);
        }
    }
}

impl Checker {
    fn bounds(&mut self, value: f64, rules: &Rules) {
        if let Some((bound, exclusive)) = rules.minimum {
            self.minimum(value, bound, exclusive);
        }
        if let Some((bound, exclusive)) = rules.maximum {
            self.maximum(value, bound, exclusive);
        }
    }
}

/// Integers: their `enum`, then their bounds.
macro_rules! integer_check {
    ($($ty:ty),*) => {$(
        impl Check for $ty {
            fn check(&self, rules: &Rules, checker: &mut Checker) {
                if let Some(allowed) = rules.integers {
                    checker.one_of_integers(i128::from(*self), allowed);
                }
                if rules.least.is_some() || rules.most.is_some() {
                    checker.range(i128::from(*self), rules.least, rules.most);
                }
                // Bounds given as numbers are compared as JSON numbers are: as f64.
                #[allow(clippy::cast_precision_loss, reason = "JSON Schema compares numbers as f64 values")]
                checker.bounds(*self as f64, rules);
            }
        }
    )*};
}

integer_check!(i32, i64, u32, u64);

impl Check for f32 {
    fn check(&self, rules: &Rules, checker: &mut Checker) {
        checker.bounds(f64::from(*self), rules);
    }
}

impl Check for f64 {
    fn check(&self, rules: &Rules, checker: &mut Checker) {
        checker.bounds(*self, rules);
    }
}

impl<T: Check> Check for Option<T> {
    fn check(&self, rules: &Rules, checker: &mut Checker) {
        if let Some(value) = self {
            value.check(rules, checker);
        }
    }
}

// `Box` (which breaks recursive types) only ever holds a generated type.
impl<T: Validate + ?Sized> Validate for Box<T> {
    fn validate(&self, checker: &mut Checker) {
        (**self).validate(checker);
    }
}

impl<T: Check> Check for Vec<T> {
    fn check(&self, rules: &Rules, checker: &mut Checker) {
        if rules.min_items.is_some() || rules.max_items.is_some() {
            checker.items(self.len(), rules.min_items, rules.max_items);
        }
        let items = rules.items.unwrap_or(&Rules::NONE);
        for (index, item) in self.iter().enumerate() {
            checker.at_index(index, |checker| item.check(items, checker));
        }
    }
}

impl<T: Check> Check for BTreeMap<String, T> {
    fn check(&self, _rules: &Rules, checker: &mut Checker) {
        for (key, value) in self {
            checker.check(key, value, &Rules::NONE);
        }
    }
}

/// Values whose type says all there is to check.
macro_rules! nothing_to_check {
    ($($ty:ty),* $(,)?) => {$(
        impl Check for $ty {
            fn check(&self, _rules: &Rules, _checker: &mut Checker) {}
        }
    )*};
}

nothing_to_check! {
    bool, serde_json::Value, serde_json::Map<String, serde_json::Value>,
    crate::DateTime, chrono::NaiveDate, uuid::Uuid, bytes::Bytes,
    crate::Base64, crate::Never,
}

/// An array whose items check nothing, counted for `minItems` and `maxItems`.
pub trait Count {
    /// The number of items, `None` when the value is absent.
    fn count(&self) -> Option<usize>;
}

impl<T> Count for Vec<T> {
    fn count(&self) -> Option<usize> {
        Some(self.len())
    }
}

impl<T: Count> Count for Option<T> {
    fn count(&self) -> Option<usize> {
        self.as_ref().and_then(Count::count)
    }
}

impl<T: Count + ?Sized> Count for Box<T> {
    fn count(&self) -> Option<usize> {
        (**self).count()
    }
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
    fn integer_bounds_compare_exactly_beyond_what_an_f64_holds() {
        // 2^53 + 1 and 2^53 + 2 are one f64; as integers they differ.
        let rules = Rules {
            most: Some(9_007_199_254_740_993),
            ..Rules::NONE
        };
        let mut checker = Checker::new();
        9_007_199_254_740_993_u64.check(&rules, &mut checker);
        assert!(checker.into_violations().is_empty());
        let mut checker = Checker::new();
        9_007_199_254_740_994_u64.check(&rules, &mut checker);
        let violations = checker.into_violations();
        assert_eq!(violations.len(), 1, "{violations:?}");
        let rules = Rules {
            least: Some(1),
            ..Rules::NONE
        };
        let mut checker = Checker::new();
        0_i32.check(&rules, &mut checker);
        assert_eq!(checker.into_violations().len(), 1);
    }

    #[test]
    fn lengths_count_characters_not_bytes() {
        let mut checker = Checker::new();
        checker.length("éé", None, Some(2));
        assert!(checker.into_violations().is_empty());
    }
}
