//! A deterministic discrete-event simulator of AWS Lambda, driven step by step by the lab console.
//!
//! The behaviour it models is documented, with sources, in `shared/design/lambda-facts.md`.
