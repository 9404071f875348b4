//! Browser app.
