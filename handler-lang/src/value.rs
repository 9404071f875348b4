//! Values of the handler language, their text forms, and JSON conversion.
//!
//! Arrays and maps are values, as in Rhai: `let b = a; b.push(1);` leaves `a` alone. They are
//! shared copy-on-write, so passing them around costs a reference count.

use std::any::Any;
use std::cell::RefCell;
use std::fmt;
use std::rc::Rc;

use super::ast::FnDef;

/// An object map: keys in order (JSON output and iteration are sorted by key, as Rhai's).
pub type Map = litemap::LiteMap<Rc<str>, Value>;
/// An array.
pub type Array = Vec<Value>;

/// A value the host gives scripts (a connection, the Lambda context): read-only properties and the
/// host functions that take it as their first argument.
pub trait HostObject: fmt::Debug {
    /// The type name `type_of` and error messages show (`Connection`).
    fn type_name(&self) -> &'static str;
    /// A property, or `None` when the object has no such property.
    fn get(&self, name: &str) -> Option<Value>;
    /// For host functions to downcast their argument.
    fn as_any(&self) -> &dyn Any;
}

/// A captured variable: its name, the cell it shares with the scope that made the closure, and
/// whether it is a constant.
pub type Captured = (Rc<str>, Rc<RefCell<Value>>, bool);

/// A closure: its function and the variables it captured, shared with the scope that made it.
#[derive(Debug)]
pub struct Closure {
    /// Parameters and body.
    pub def: Rc<FnDef>,
    /// Captured variables: name, shared cell, and whether it is a constant.
    pub captured: Vec<Captured>,
}

/// A function value: a closure, or a pointer to a named function (`Fn("name")`).
#[derive(Debug, Clone)]
pub enum FnValue {
    /// An anonymous closure.
    Closure(Rc<Closure>),
    /// A named `fn` of the script, or a built-in or host function.
    Named(Rc<str>),
}

/// A value.
#[derive(Debug, Clone, Default)]
pub enum Value {
    /// `()`: nothing (JSON `null`).
    #[default]
    Unit,
    /// A boolean.
    Bool(bool),
    /// A 64-bit integer.
    Int(i64),
    /// A 64-bit float.
    Float(f64),
    /// A character.
    Char(char),
    /// A string (shared, changed in place when not shared: `s += "x"` in a loop stays linear).
    Str(Rc<String>),
    /// An array.
    Array(Rc<Array>),
    /// An object map.
    Map(Rc<Map>),
    /// `a..b` (the end excluded).
    Range(i64, i64),
    /// A function.
    Fn(FnValue),
    /// A host object.
    Host(Rc<dyn HostObject>),
}

impl Value {
    /// The type name `type_of` returns.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Unit => "()",
            Value::Bool(_) => "bool",
            Value::Int(_) => "i64",
            Value::Float(_) => "f64",
            Value::Char(_) => "char",
            Value::Str(_) => "string",
            Value::Array(_) => "array",
            Value::Map(_) => "map",
            Value::Range(..) => "range",
            Value::Fn(_) => "Fn",
            Value::Host(h) => h.type_name(),
        }
    }

    /// A string value.
    pub fn str(s: &str) -> Value {
        Value::Str(Rc::new(s.to_string()))
    }

    /// An array value.
    pub fn array(a: Array) -> Value {
        Value::Array(Rc::new(a))
    }

    /// A map value.
    pub fn map(m: Map) -> Value {
        Value::Map(Rc::new(m))
    }

    /// True for `()`.
    pub fn is_unit(&self) -> bool {
        matches!(self, Value::Unit)
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The map, if this is one.
    pub fn as_map(&self) -> Option<&Map> {
        match self {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    /// The array, if this is one.
    pub fn as_array(&self) -> Option<&Array> {
        match self {
            Value::Array(a) => Some(a),
            _ => None,
        }
    }

    /// The host object, if this is one of type `T`.
    pub fn host<T: 'static>(&self) -> Option<&T> {
        match self {
            Value::Host(h) => h.as_any().downcast_ref::<T>(),
            _ => None,
        }
    }

    /// The debug form: strings and characters quoted (how they show inside arrays and maps).
    pub fn write_debug(&self, out: &mut String) {
        let _ = self.fmt_debug(out);
    }

    /// The debug form, written piece by piece to `out` (a [`CappedText`] stops it early).
    pub fn fmt_debug(&self, out: &mut dyn fmt::Write) -> fmt::Result {
        match self {
            Value::Str(s) => write!(out, "{:?}", s.as_str()),
            Value::Char(c) => write!(out, "{c:?}"),
            Value::Unit => out.write_str("()"),
            other => write!(out, "{other}"),
        }
    }

    /// The text form (`to_string`), built only while it stays within `cap` bytes: `None` when it
    /// would be longer. An array holding one large string many times is refused after `cap`
    /// bytes, never built in full.
    pub fn text_capped(&self, cap: usize) -> Option<String> {
        use fmt::Write;
        if let Value::Str(s) = self {
            return (s.len() <= cap).then(|| s.to_string());
        }
        let mut out = String::new();
        let mut w = CappedText::new(&mut out, cap);
        write!(w, "{self}").ok().map(|_| out)
    }

    /// The debug form within `cap` bytes, as [`Value::text_capped`].
    pub fn debug_capped(&self, cap: usize) -> Option<String> {
        let mut out = String::new();
        let mut w = CappedText::new(&mut out, cap);
        self.fmt_debug(&mut w).ok().map(|_| out)
    }

    /// The text form cut at about `cap` bytes (on a character boundary) with `…` after the cut:
    /// for messages, which must stay readable and small.
    pub fn text_lossy(&self, cap: usize) -> String {
        use fmt::Write;
        let mut out = String::new();
        let mut w = CappedText::new(&mut out, cap);
        if write!(w, "{self}").is_err() {
            out.push('…');
        }
        out
    }
}

/// A text sink that holds at most `cap` bytes: a write that would pass the cap fails
/// (`fmt::Error`) before anything is added, so text too large is never built.
pub struct CappedText<'a> {
    out: &'a mut String,
    cap: usize,
    /// Set when a write was refused.
    pub over: bool,
}

impl<'a> CappedText<'a> {
    /// A sink appending to `out` until it holds `cap` bytes.
    pub fn new(out: &'a mut String, cap: usize) -> Self {
        Self {
            out,
            cap,
            over: false,
        }
    }
}

impl fmt::Write for CappedText<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        if self.over || self.out.len().saturating_add(s.len()) > self.cap {
            // keep what fits (on a character boundary), so the caller sees a cut, not nothing
            let room = self.cap.saturating_sub(self.out.len());
            let mut end = room.min(s.len());
            while end > 0 && !s.is_char_boundary(end) {
                end -= 1;
            }
            if !self.over {
                self.out.push_str(&s[..end]);
            }
            self.over = true;
            return Err(fmt::Error);
        }
        self.out.push_str(s);
        Ok(())
    }
}

/// A float as Rhai prints it: whole numbers keep a `.0`.
pub fn float_text(f: f64) -> String {
    let abs = f.abs();
    if abs == 0.0 {
        "0.0".into()
    } else if !(0.000_000_000_000_1..=10_000_000_000_000.0).contains(&abs) {
        format!("{f:e}")
    } else if abs.fract() == 0.0 {
        format!("{f}.0")
    } else {
        format!("{f}")
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Unit => Ok(()),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Int(i) => write!(f, "{i}"),
            Value::Float(x) => f.write_str(&float_text(*x)),
            Value::Char(c) => write!(f, "{c}"),
            Value::Str(s) => f.write_str(s),
            Value::Array(a) => {
                f.write_str("[")?;
                for (i, x) in a.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    x.fmt_debug(f)?;
                }
                f.write_str("]")
            }
            Value::Map(m) => {
                f.write_str("#{")?;
                for (i, (k, x)) in m.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{:?}: ", &**k)?;
                    x.fmt_debug(f)?;
                }
                f.write_str("}")
            }
            Value::Range(a, b) => write!(f, "{a}..{b}"),
            Value::Fn(FnValue::Named(n)) => write!(f, "Fn({n})"),
            Value::Fn(FnValue::Closure(_)) => f.write_str("Fn(<closure>)"),
            Value::Host(h) => write!(f, "<{}>", h.type_name()),
        }
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}

impl From<i64> for Value {
    fn from(i: i64) -> Self {
        Value::Int(i)
    }
}

impl From<f64> for Value {
    fn from(x: f64) -> Self {
        Value::Float(x)
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::str(s)
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::Str(Rc::new(s))
    }
}

/// Structural equality (`==`): numbers compare across int and float; different types are unequal.
pub fn values_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Unit, Value::Unit) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Int(x), Value::Int(y)) => x == y,
        (Value::Float(x), Value::Float(y)) => x == y,
        (Value::Int(x), Value::Float(y)) | (Value::Float(y), Value::Int(x)) => (*x as f64) == *y,
        (Value::Char(x), Value::Char(y)) => x == y,
        (Value::Str(x), Value::Str(y)) => x == y,
        (Value::Array(x), Value::Array(y)) => {
            Rc::ptr_eq(x, y)
                || (x.len() == y.len() && x.iter().zip(y.iter()).all(|(a, b)| values_equal(a, b)))
        }
        (Value::Map(x), Value::Map(y)) => {
            Rc::ptr_eq(x, y)
                || (x.len() == y.len()
                    && x.iter()
                        .zip(y.iter())
                        .all(|((ka, a), (kb, b))| ka == kb && values_equal(a, b)))
        }
        (Value::Range(a, b), Value::Range(c, d)) => a == c && b == d,
        (Value::Fn(FnValue::Named(x)), Value::Fn(FnValue::Named(y))) => x == y,
        (Value::Fn(FnValue::Closure(x)), Value::Fn(FnValue::Closure(y))) => Rc::ptr_eq(x, y),
        (Value::Host(x), Value::Host(y)) => Rc::ptr_eq(x, y),
        _ => false,
    }
}

/// JSON to a value: objects become maps, arrays arrays, `null` `()`.
pub fn json_to_value(v: &serde_json::Value) -> Value {
    use serde_json::Value as V;
    match v {
        V::Null => Value::Unit,
        V::Bool(b) => Value::Bool(*b),
        V::Number(n) => match n.as_i64() {
            Some(i) => Value::Int(i),
            None => Value::Float(n.as_f64().unwrap_or(0.0)),
        },
        V::String(s) => Value::str(s),
        V::Array(a) => Value::array(a.iter().map(json_to_value).collect()),
        V::Object(o) => Value::map(
            o.iter()
                .map(|(k, v)| (Rc::from(k.as_str()), json_to_value(v)))
                .collect(),
        ),
    }
}

/// A value to JSON; a value JSON cannot hold (a closure, a host object) becomes its text.
pub fn value_to_json(v: &Value) -> serde_json::Value {
    use serde_json::Value as V;
    match v {
        Value::Unit => V::Null,
        Value::Bool(b) => V::Bool(*b),
        Value::Int(i) => V::from(*i),
        Value::Float(f) => serde_json::Number::from_f64(*f)
            .map(V::Number)
            .unwrap_or(V::Null),
        Value::Array(a) => V::Array(a.iter().map(value_to_json).collect()),
        Value::Map(m) => V::Object(
            m.iter()
                .map(|(k, v)| (k.to_string(), value_to_json(v)))
                .collect(),
        ),
        other => V::String(other.to_string()),
    }
}

/// Writes `v` as JSON text directly (no intermediate tree). A value JSON cannot represent (a
/// closure, a connection) is written as its text.
pub fn write_json(v: &Value, out: &mut String) {
    let _ = json_into(v, &mut CappedText::new(out, usize::MAX), false);
}

/// Writes `v` as JSON text; fails with the type name of the first value JSON cannot represent
/// (what the runtime's serializer would refuse: a closure, a host object, a range).
pub fn write_json_strict(v: &Value, out: &mut String) -> Result<(), &'static str> {
    match json_into(v, &mut CappedText::new(out, usize::MAX), true) {
        Err(JsonError::Unserializable(t)) => Err(t),
        _ => Ok(()),
    }
}

/// Why [`write_json_capped`] stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonError {
    /// A value JSON cannot represent (its type name), in strict mode.
    Unserializable(&'static str),
    /// The text would pass the cap: `out` holds the first `cap` bytes, no more.
    TooLarge,
}

/// Writes `v` as JSON text of at most `cap` bytes: past the cap it stops (nothing larger is
/// built) and fails with [`JsonError::TooLarge`]; `strict` refuses values JSON cannot represent.
pub fn write_json_capped(
    v: &Value,
    out: &mut String,
    cap: usize,
    strict: bool,
) -> Result<(), JsonError> {
    json_into(v, &mut CappedText::new(out, cap), strict)
}

fn json_into(v: &Value, out: &mut CappedText<'_>, strict: bool) -> Result<(), JsonError> {
    use std::fmt::Write;
    let big = |_| JsonError::TooLarge;
    match v {
        Value::Unit => out.write_str("null").map_err(big)?,
        Value::Bool(b) => out
            .write_str(if *b { "true" } else { "false" })
            .map_err(big)?,
        Value::Int(i) => write!(out, "{i}").map_err(big)?,
        Value::Float(f) => match serde_json::Number::from_f64(*f) {
            Some(n) => write!(out, "{n}").map_err(big)?,
            None => out.write_str("null").map_err(big)?,
        },
        Value::Array(a) => {
            out.write_str("[").map_err(big)?;
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.write_str(",").map_err(big)?;
                }
                json_into(x, out, strict)?;
            }
            out.write_str("]").map_err(big)?;
        }
        Value::Map(m) => {
            out.write_str("{").map_err(big)?;
            for (i, (k, x)) in m.iter().enumerate() {
                if i > 0 {
                    out.write_str(",").map_err(big)?;
                }
                write_json_str(k, out)?;
                out.write_str(":").map_err(big)?;
                json_into(x, out, strict)?;
            }
            out.write_str("}").map_err(big)?;
        }
        Value::Str(s) => write_json_str(s, out)?,
        Value::Char(c) => write_json_str(c.encode_utf8(&mut [0; 4]), out)?,
        other if strict => return Err(JsonError::Unserializable(other.type_name())),
        other => {
            let t = other.text_lossy(out.cap.saturating_sub(out.out.len()));
            write_json_str(&t, out)?
        }
    }
    Ok(())
}

fn write_json_str(s: &str, out: &mut CappedText<'_>) -> Result<(), JsonError> {
    use std::fmt::Write;
    let big = |_| JsonError::TooLarge;
    if s.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\') {
        out.write_str("\"").map_err(big)?;
        out.write_str(s).map_err(big)?;
        out.write_str("\"").map_err(big)
    } else {
        // the escaped text is at least two bytes longer: refused before the copy is made
        if s.len().saturating_add(2) > out.cap.saturating_sub(out.out.len()) {
            out.over = true;
            return Err(JsonError::TooLarge);
        }
        out.write_str(&serde_json::to_string(s).unwrap_or_default())
            .map_err(big)
    }
}
