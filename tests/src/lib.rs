//! Support shared by the end-to-end tests in `tests/tests/`.

pub mod tools;
