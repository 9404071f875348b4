//! Operators: arithmetic (checked: overflow is an error, never a wrap or a panic), comparison,
//! string concatenation, property reads and indexing.

use std::cmp::Ordering;
use std::rc::Rc;

use super::ast::BinOp;
use super::error::{Error, ErrorKind};
use super::limits::Limits;
use super::pos::Pos;
use super::value::{values_equal, Value};

fn overflow(pos: Pos) -> Error {
    Error::runtime("arithmetic overflow", pos)
}

fn mismatch(op: BinOp, a: &Value, b: &Value, pos: Pos) -> Error {
    Error::new(
        ErrorKind::FnNotFound(format!(
            "operator '{}' ({}, {})",
            op.symbol(),
            a.type_name(),
            b.type_name()
        )),
        pos,
    )
}

/// Checks a string, array or map against the size limits.
pub fn check_size(v: &Value, limits: &Limits, pos: Pos) -> Result<(), Error> {
    let too_big = match v {
        Value::Str(s) => s.len() > limits.max_string_size,
        Value::Array(a) => a.len() > limits.max_array_size,
        Value::Map(m) => m.len() > limits.max_map_size,
        _ => false,
    };
    if too_big {
        let what = match v {
            Value::Str(_) => "string",
            Value::Array(_) => "array",
            _ => "map",
        };
        return Err(Error::new(ErrorKind::DataTooLarge(what), pos));
    }
    Ok(())
}

/// Counts `n` bytes of string built against [`Limits::max_built_bytes`].
pub fn charge_built(built: &mut u64, n: usize, limits: &Limits, pos: Pos) -> Result<(), Error> {
    *built = built.saturating_add(n as u64);
    if *built > limits.max_built_bytes {
        return Err(Error::new(
            ErrorKind::DataTooLarge("text built by one call (all strings together)"),
            pos,
        ));
    }
    Ok(())
}

fn string_too_large(pos: Pos) -> Error {
    Error::new(ErrorKind::DataTooLarge("string"), pos)
}

/// The text form of `v` within the room a string of `used` bytes has left: refused (before the
/// text is built) when it would make the string pass the limit.
pub fn text_within(v: &Value, used: usize, limits: &Limits, pos: Pos) -> Result<String, Error> {
    v.text_capped(limits.max_string_size.saturating_sub(used))
        .ok_or_else(|| string_too_large(pos))
}

/// `-v`
pub fn neg(v: Value, pos: Pos) -> Result<Value, Error> {
    match v {
        Value::Int(i) => i.checked_neg().map(Value::Int).ok_or_else(|| overflow(pos)),
        Value::Float(f) => Ok(Value::Float(-f)),
        other => Err(Error::runtime(
            format!("'-' needs a number, not {}", other.type_name()),
            pos,
        )),
    }
}

fn as_f64(v: &Value) -> Option<f64> {
    match v {
        Value::Int(i) => Some(*i as f64),
        Value::Float(f) => Some(*f),
        _ => None,
    }
}

fn int_op(op: BinOp, a: i64, b: i64, pos: Pos) -> Result<Value, Error> {
    let r = match op {
        BinOp::Add => a.checked_add(b),
        BinOp::Sub => a.checked_sub(b),
        BinOp::Mul => a.checked_mul(b),
        BinOp::Div => {
            if b == 0 {
                return Err(Error::runtime("division by zero", pos));
            }
            a.checked_div(b)
        }
        BinOp::Rem => {
            if b == 0 {
                return Err(Error::runtime("division by zero", pos));
            }
            a.checked_rem(b)
        }
        BinOp::Pow => {
            if b < 0 {
                return Err(Error::runtime(
                    "negative exponent for an integer power",
                    pos,
                ));
            }
            u32::try_from(b).ok().and_then(|e| a.checked_pow(e))
        }
        BinOp::Shl => u32::try_from(b).ok().filter(|s| *s < 64).map(|s| a << s),
        BinOp::Shr => u32::try_from(b).ok().filter(|s| *s < 64).map(|s| a >> s),
        BinOp::BitAnd => Some(a & b),
        BinOp::BitOr => Some(a | b),
        BinOp::BitXor => Some(a ^ b),
        _ => return Ok(Value::Bool(compare(op, a.cmp(&b)))),
    };
    r.map(Value::Int).ok_or_else(|| overflow(pos))
}

fn float_op(op: BinOp, a: f64, b: f64) -> Option<Value> {
    Some(match op {
        BinOp::Add => Value::Float(a + b),
        BinOp::Sub => Value::Float(a - b),
        BinOp::Mul => Value::Float(a * b),
        BinOp::Div => Value::Float(a / b),
        BinOp::Rem => Value::Float(a % b),
        BinOp::Pow => Value::Float(a.powf(b)),
        BinOp::Eq => Value::Bool(a == b),
        BinOp::Ne => Value::Bool(a != b),
        BinOp::Lt => Value::Bool(a < b),
        BinOp::Le => Value::Bool(a <= b),
        BinOp::Gt => Value::Bool(a > b),
        BinOp::Ge => Value::Bool(a >= b),
        _ => return None,
    })
}

fn compare(op: BinOp, o: Ordering) -> bool {
    match op {
        BinOp::Lt => o == Ordering::Less,
        BinOp::Le => o != Ordering::Greater,
        BinOp::Gt => o == Ordering::Greater,
        BinOp::Ge => o != Ordering::Less,
        BinOp::Eq => o == Ordering::Equal,
        _ => o != Ordering::Equal,
    }
}

/// Orders two values of comparable types (numbers, strings, characters).
pub fn order(a: &Value, b: &Value) -> Option<Ordering> {
    match (a, b) {
        (Value::Int(x), Value::Int(y)) => Some(x.cmp(y)),
        (Value::Str(x), Value::Str(y)) => Some(x.as_str().cmp(y.as_str())),
        (Value::Char(x), Value::Char(y)) => Some(x.cmp(y)),
        (Value::Bool(x), Value::Bool(y)) => Some(x.cmp(y)),
        _ => as_f64(a)?.partial_cmp(&as_f64(b)?),
    }
}

/// `a in b`
fn contains(a: &Value, b: &Value) -> Option<bool> {
    Some(match (a, b) {
        (x, Value::Array(items)) => items.iter().any(|y| values_equal(x, y)),
        (Value::Str(k), Value::Map(m)) => m.contains_key(k.as_str()),
        (Value::Char(k), Value::Map(m)) => m.contains_key(k.to_string().as_str()),
        (Value::Str(x), Value::Str(s)) => s.contains(x.as_str()),
        (Value::Char(c), Value::Str(s)) => s.contains(*c),
        (Value::Int(i), Value::Range(x, y)) => x <= i && i < y,
        _ => return None,
    })
}

/// `a op b`
pub fn binary(
    op: BinOp,
    a: Value,
    b: Value,
    pos: Pos,
    limits: &Limits,
    built: &mut u64,
) -> Result<Value, Error> {
    match (op, &a, &b) {
        (_, Value::Int(x), Value::Int(y)) => return int_op(op, *x, *y, pos),
        (BinOp::Eq, ..) => return Ok(Value::Bool(values_equal(&a, &b))),
        (BinOp::Ne, ..) => return Ok(Value::Bool(!values_equal(&a, &b))),
        (BinOp::In, ..) => {
            return contains(&a, &b)
                .map(Value::Bool)
                .ok_or_else(|| mismatch(op, &a, &b, pos))
        }
        (BinOp::BitAnd, Value::Bool(x), Value::Bool(y)) => return Ok(Value::Bool(*x & *y)),
        (BinOp::BitOr, Value::Bool(x), Value::Bool(y)) => return Ok(Value::Bool(*x | *y)),
        (BinOp::BitXor, Value::Bool(x), Value::Bool(y)) => return Ok(Value::Bool(*x ^ *y)),
        _ => {}
    }
    if let (Some(x), Some(y)) = (as_f64(&a), as_f64(&b)) {
        if let Some(v) = float_op(op, x, y) {
            return Ok(v);
        }
    }
    match op {
        BinOp::Add => add(a, b, pos, limits, built),
        BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => {
            Ok(Value::Bool(order(&a, &b).is_some_and(|o| compare(op, o))))
        }
        _ => Err(mismatch(op, &a, &b, pos)),
    }
}

fn add(a: Value, b: Value, pos: Pos, limits: &Limits, built: &mut u64) -> Result<Value, Error> {
    let r = match (a, b) {
        (Value::Str(mut s), b) => {
            // sizes are checked before anything is built: `b` may be an array holding one large
            // string many times
            let t = match &b {
                Value::Str(t) if s.len().saturating_add(t.len()) > limits.max_string_size => {
                    return Err(string_too_large(pos))
                }
                _ => text_within(&b, s.len(), limits, pos)?,
            };
            // a shared string is copied before it grows
            let copied = if Rc::strong_count(&s) > 1 { s.len() } else { 0 };
            charge_built(built, copied + t.len(), limits, pos)?;
            Rc::make_mut(&mut s).push_str(&t);
            Value::Str(s)
        }
        (a, b @ Value::Str(_)) | (a @ Value::Char(_), b @ Value::Char(_)) => {
            let mut t = text_within(&a, 0, limits, pos)?;
            let u = text_within(&b, t.len(), limits, pos)?;
            charge_built(built, t.len() + u.len(), limits, pos)?;
            t.push_str(&u);
            Value::from(t)
        }
        (Value::Array(mut x), Value::Array(y)) => {
            if x.len() + y.len() > limits.max_array_size {
                return Err(Error::new(ErrorKind::DataTooLarge("array"), pos));
            }
            Rc::make_mut(&mut x).extend(y.iter().cloned());
            Value::Array(x)
        }
        (Value::Map(mut x), Value::Map(y)) => {
            let m = Rc::make_mut(&mut x);
            for (k, v) in y.iter() {
                m.insert(k.clone(), v.clone());
            }
            Value::Map(x)
        }
        (a, b) => return Err(mismatch(BinOp::Add, &a, &b, pos)),
    };
    check_size(&r, limits, pos)?;
    Ok(r)
}

/// `slot op= v`: strings, arrays and maps grow in place.
pub fn assign_op(
    op: BinOp,
    slot: &mut Value,
    v: Value,
    pos: Pos,
    limits: &Limits,
    built: &mut u64,
) -> Result<(), Error> {
    let cur = std::mem::take(slot);
    match binary(op, cur, v, pos, limits, built) {
        Ok(r) => {
            *slot = r;
            Ok(())
        }
        Err(e) => Err(e),
    }
}

/// The element index `i` names in an array of `len` (negative counts from the end).
pub fn array_index(i: i64, len: usize) -> Option<usize> {
    if i >= 0 {
        let i = usize::try_from(i).ok()?;
        (i < len).then_some(i)
    } else {
        let back = usize::try_from(i.checked_neg()?).ok()?;
        len.checked_sub(back)
    }
}

/// `v.name`
pub fn get_prop(v: &Value, name: &str, pos: Pos) -> Result<Value, Error> {
    match v {
        Value::Map(m) => Ok(m.get(name).cloned().unwrap_or(Value::Unit)),
        Value::Host(h) => h.get(name).ok_or_else(|| {
            Error::runtime(format!("{} has no property '{name}'", h.type_name()), pos)
        }),
        Value::Str(s) if name == "len" => Ok(Value::Int(s.chars().count() as i64)),
        Value::Array(a) if name == "len" => Ok(Value::Int(a.len() as i64)),
        Value::Str(s) if name == "is_empty" => Ok(Value::Bool(s.is_empty())),
        Value::Array(a) if name == "is_empty" => Ok(Value::Bool(a.is_empty())),
        other => Err(Error::runtime(
            format!("cannot read property '{name}' of {}", other.type_name()),
            pos,
        )),
    }
}

/// `v[i]`
pub fn index(v: &Value, i: &Value, pos: Pos) -> Result<Value, Error> {
    match (v, i) {
        (Value::Array(a), Value::Int(n)) => array_index(*n, a.len())
            .map(|k| a[k].clone())
            .ok_or_else(|| {
                Error::runtime(
                    format!("array index {n} out of bounds (length {})", a.len()),
                    pos,
                )
            }),
        (Value::Map(m), Value::Str(k)) => Ok(m.get(k.as_str()).cloned().unwrap_or(Value::Unit)),
        (Value::Str(s), Value::Int(n)) => {
            let len = s.chars().count();
            array_index(*n, len)
                .and_then(|k| s.chars().nth(k))
                .map(Value::Char)
                .ok_or_else(|| {
                    Error::runtime(
                        format!("string index {n} out of bounds (length {len})"),
                        pos,
                    )
                })
        }
        (v, i) => Err(Error::runtime(
            format!("cannot index {} by {}", v.type_name(), i.type_name()),
            pos,
        )),
    }
}
