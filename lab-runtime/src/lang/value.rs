//! Values of the handler language, their text forms, and JSON conversion.
//!
//! Arrays and maps are values, as in Rhai: `let b = a; b.push(1);` leaves `a` alone. They are
//! shared copy-on-write, so passing them around costs a reference count.

use std::any::Any;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fmt;
use std::rc::Rc;

use super::ast::FnDef;

/// An object map: keys in order (JSON output and iteration are sorted by key, as Rhai's).
pub type Map = BTreeMap<Rc<str>, Value>;
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
        match self {
            Value::Str(s) => out.push_str(&format!("{:?}", s.as_str())),
            Value::Char(c) => out.push_str(&format!("{c:?}")),
            Value::Unit => out.push_str("()"),
            other => out.push_str(&other.to_string()),
        }
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
                let mut s = String::from("[");
                for (i, x) in a.iter().enumerate() {
                    if i > 0 {
                        s.push_str(", ");
                    }
                    x.write_debug(&mut s);
                }
                s.push(']');
                f.write_str(&s)
            }
            Value::Map(m) => {
                let mut s = String::from("#{");
                for (i, (k, x)) in m.iter().enumerate() {
                    if i > 0 {
                        s.push_str(", ");
                    }
                    s.push_str(&format!("{:?}: ", &**k));
                    x.write_debug(&mut s);
                }
                s.push('}');
                f.write_str(&s)
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
    let _ = json_into(v, out, false);
}

/// Writes `v` as JSON text; fails with the type name of the first value JSON cannot represent
/// (what the runtime's serializer would refuse: a closure, a host object, a range).
pub fn write_json_strict(v: &Value, out: &mut String) -> Result<(), &'static str> {
    json_into(v, out, true)
}

fn json_into(v: &Value, out: &mut String, strict: bool) -> Result<(), &'static str> {
    use std::fmt::Write;
    match v {
        Value::Unit => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(i) => {
            let _ = write!(out, "{i}");
        }
        Value::Float(f) => match serde_json::Number::from_f64(*f) {
            Some(n) => {
                let _ = write!(out, "{n}");
            }
            None => out.push_str("null"),
        },
        Value::Array(a) => {
            out.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                json_into(x, out, strict)?;
            }
            out.push(']');
        }
        Value::Map(m) => {
            out.push('{');
            for (i, (k, x)) in m.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json_str(k, out);
                out.push(':');
                json_into(x, out, strict)?;
            }
            out.push('}');
        }
        Value::Str(s) => write_json_str(s, out),
        Value::Char(c) => write_json_str(c.encode_utf8(&mut [0; 4]), out),
        other if strict => return Err(other.type_name()),
        other => write_json_str(&other.to_string(), out),
    }
    Ok(())
}

fn write_json_str(s: &str, out: &mut String) {
    if s.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\') {
        out.push('"');
        out.push_str(s);
        out.push('"');
    } else {
        out.push_str(&serde_json::to_string(s).unwrap_or_default());
    }
}
