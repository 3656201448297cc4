//! Support shared by the end-to-end tests in `tests/tests/`.

pub mod mock;
pub mod prism;
pub mod serve;
pub mod tools;

/// The README's Rust examples, compiled and run as doctests so they stay true.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeExamples;
