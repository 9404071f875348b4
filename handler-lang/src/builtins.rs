//! Built-in functions and methods: on strings, arrays, maps and numbers, plus `print`, `type_of`,
//! `parse_int`... Called as `f(x, ...)` or `x.f(...)`. Methods that change their receiver
//! (`push`, `pad`, `trim`...) change it in place, as in Rhai.

use std::cmp::Ordering;
use std::rc::Rc;

use super::case;
use super::error::{Error, ErrorKind::DataTooLarge};
use super::limits::Limits;
use super::native::mismatch;
use super::ops::{array_index, check_size, order};
use super::pos::Pos;
use super::value::{float_text, values_equal, write_json_capped, FnValue, Value};

/// What a built-in needs from the interpreter that calls it: the limits, the count of string bytes
/// built, the nesting check for values going into arrays and maps, `print`'s output, and calls of
/// function values (`call`, `map`, `filter`, `sort`...). The interpreter implements it, so the
/// built-ins never name the interpreter; [`call`] is generic over it (no dynamic dispatch).
pub(crate) trait Context {
    /// The limits of this run or call.
    fn limits(&self) -> &Limits;
    /// Counts `n` bytes of string built; past the limit the script stops.
    fn charge_built(&mut self, n: usize, pos: Pos) -> Result<(), Error>;
    /// Checks that `v` may go inside an array or a map (not nested too deeply); the walk counts as
    /// operations.
    fn check_child(&mut self, v: &Value, pos: Pos) -> Result<(), Error>;
    /// Sends the text of `print(x)` or `debug(x)` to the host.
    fn print(&self, text: &str);
    /// Calls a function value with `args`.
    fn call_value(&mut self, f: &FnValue, args: Vec<Value>, pos: Pos) -> Result<Value, Error>;
}

/// Every built-in's name (for "not defined" messages that tell a wrong argument type from an
/// unknown name).
const NAMES: &[&str] = &[
    "print",
    "debug",
    "type_of",
    "parse_int",
    "parse_float",
    "to_string",
    "to_debug",
    "Fn",
    "range",
    "min",
    "max",
    "abs",
    "sign",
    "to_int",
    "to_float",
    "floor",
    "ceiling",
    "round",
    "int",
    "fraction",
    "sqrt",
    "exp",
    "ln",
    "is_nan",
    "is_odd",
    "is_even",
    "is_zero",
    "len",
    "is_empty",
    "contains",
    "starts_with",
    "ends_with",
    "index_of",
    "to_upper",
    "to_lower",
    "make_upper",
    "make_lower",
    "sub_string",
    "split",
    "trim",
    "replace",
    "pad",
    "truncate",
    "clear",
    "chars",
    "get",
    "crop",
    "append",
    "push",
    "pop",
    "shift",
    "insert",
    "remove",
    "reverse",
    "sort",
    "map",
    "filter",
    "reduce",
    "some",
    "all",
    "find",
    "extract",
    "retain",
    "extend",
    "keys",
    "values",
    "set",
    "mixin",
    "to_json",
    "call",
    "to_char",
];

/// True when a built-in of that name exists.
pub(crate) fn exists(name: &str) -> bool {
    NAMES.contains(&name)
}

fn int(v: &Value) -> Option<i64> {
    match v {
        Value::Int(i) => Some(*i),
        _ => None,
    }
}

fn fnv(v: &Value) -> Option<&FnValue> {
    match v {
        Value::Fn(f) => Some(f),
        _ => None,
    }
}

fn char_len(s: &str) -> i64 {
    s.chars().count() as i64
}

/// The byte offset of char index `i` (clamped to the string).
fn byte_at(s: &str, i: i64) -> usize {
    if i <= 0 {
        return 0;
    }
    s.char_indices()
        .nth(i as usize)
        .map(|(b, _)| b)
        .unwrap_or(s.len())
}

/// Characters `start..start+len` (Rhai's `sub_string`: a negative start counts from the end).
fn sub(s: &str, start: i64, len: i64) -> String {
    let n = char_len(s);
    let start = if start < 0 {
        (n + start).max(0)
    } else {
        start.min(n)
    };
    let len = len.clamp(0, n - start);
    s.chars().skip(start as usize).take(len as usize).collect()
}

fn parse_int(s: &str, radix: u32, pos: Pos) -> Result<Value, Error> {
    i64::from_str_radix(s.trim(), radix)
        .map(Value::Int)
        .map_err(|_| Error::runtime(format!("cannot parse '{s}' as an integer"), pos))
}

fn sort_default(items: &mut [Value], pos: Pos) -> Result<(), Error> {
    for w in items.windows(2) {
        if order(&w[0], &w[1]).is_none() {
            return Err(Error::runtime(
                format!(
                    "cannot sort an array holding {} and {}",
                    w[0].type_name(),
                    w[1].type_name()
                ),
                pos,
            ));
        }
    }
    items.sort_by(|a, b| order(a, b).unwrap_or(Ordering::Equal));
    Ok(())
}

fn truthy(v: Value, pos: Pos) -> Result<bool, Error> {
    match v {
        Value::Bool(b) => Ok(b),
        other => Err(Error::runtime(
            format!(
                "the function must return true or false, not {}",
                other.type_name()
            ),
            pos,
        )),
    }
}

/// Calls the built-in `name`; `None` when there is none of that name, `Some(Err(mismatch))` when it
/// does not take these arguments.
pub(crate) fn call(
    it: &mut impl Context,
    name: &str,
    a: &mut [Value],
    pos: Pos,
) -> Option<Result<Value, Error>> {
    if matches!(
        name,
        "push" | "insert" | "append" | "extend" | "set" | "mixin"
    ) && a.len() > 1
    {
        // values going into an array or a map: not nested too deeply
        for v in a[1..].iter() {
            if let Err(e) = it.check_child(v, pos) {
                return Some(Err(e));
            }
        }
    }
    let r = match (name, a.len()) {
        ("print" | "debug", 1) => {
            // at most one string's worth per line, refused before the text is built
            let cap = it.limits().max_string_size;
            let text = if name == "debug" {
                a[0].debug_capped(cap)
            } else {
                a[0].text_capped(cap)
            };
            match text {
                None => Err(Error::new(DataTooLarge("printed text"), pos)),
                Some(text) => it.charge_built(text.len(), pos).map(|_| {
                    it.print(&text);
                    Value::Unit
                }),
            }
        }
        ("type_of", 1) => Ok(Value::str(a[0].type_name())),
        ("to_string", 1) => text_value(it, a[0].text_capped(it.limits().max_string_size), pos),
        ("to_debug", 1) => text_value(it, a[0].debug_capped(it.limits().max_string_size), pos),
        ("parse_int", 1) => match &a[0] {
            Value::Str(s) => parse_int(s, 10, pos),
            _ => Err(mismatch()),
        },
        ("parse_int", 2) => match (&a[0], int(&a[1])) {
            (Value::Str(s), Some(r)) if (2..=36).contains(&r) => parse_int(s, r as u32, pos),
            _ => Err(mismatch()),
        },
        ("parse_float", 1) => match &a[0] {
            Value::Str(s) => s
                .trim()
                .parse::<f64>()
                .map(Value::Float)
                .map_err(|_| Error::runtime(format!("cannot parse '{s}' as a number"), pos)),
            _ => Err(mismatch()),
        },
        ("Fn", 1) => match &a[0] {
            Value::Str(s) => Ok(Value::Fn(FnValue::Named(Rc::from(s.as_str())))),
            _ => Err(mismatch()),
        },
        ("range", 2) => match (int(&a[0]), int(&a[1])) {
            (Some(x), Some(y)) => Ok(Value::Range(x, y)),
            _ => Err(mismatch()),
        },
        ("min" | "max", 2) => match (&a[0], &a[1]) {
            (Value::Int(_) | Value::Float(_), Value::Int(_) | Value::Float(_)) => {
                let o = order(&a[0], &a[1]).unwrap_or(Ordering::Equal);
                let first = (name == "min") == (o != Ordering::Greater);
                Ok(if first { a[0].clone() } else { a[1].clone() })
            }
            _ => Err(mismatch()),
        },
        ("call", _) if !a.is_empty() => match fnv(&a[0]).cloned() {
            Some(f) => it.call_value(&f, a[1..].to_vec(), pos),
            None => Err(mismatch()),
        },
        _ => match &a[0..a.len().min(1)] {
            [Value::Int(_) | Value::Float(_) | Value::Char(_)] => number(name, a, pos),
            [Value::Str(_)] => string(it, name, a, pos),
            [Value::Array(_)] => array(it, name, a, pos),
            [Value::Map(_)] => map(it, name, a, pos),
            [Value::Range(x, y)] => match (name, &a[1..]) {
                ("contains", [Value::Int(i)]) => Ok(Value::Bool(x <= i && i < y)),
                ("len", []) => Ok(Value::Int(y.saturating_sub(*x).max(0))),
                ("is_empty", []) => Ok(Value::Bool(x >= y)),
                _ => Err(mismatch()),
            },
            _ if exists(name) => Err(mismatch()),
            _ => return None,
        },
    };
    match r {
        Err(e)
            if matches!(&e.kind, super::error::ErrorKind::FnNotFound(s) if s.is_empty())
                && !exists(name) =>
        {
            None
        }
        r => Some(r),
    }
}

/// A string a built-in made within the string limit (`None`: it would have passed it), counted
/// against the bytes a call may build.
fn text_value(it: &mut impl Context, t: Option<String>, pos: Pos) -> Result<Value, Error> {
    let t = t.ok_or_else(|| Error::new(DataTooLarge("string"), pos))?;
    it.charge_built(t.len(), pos)?;
    Ok(Value::from(t))
}

/// `to_json` of a value within the string limit.
fn json_value(it: &mut impl Context, v: &Value, pos: Pos) -> Result<Value, Error> {
    let mut out = String::new();
    let ok = write_json_capped(v, &mut out, it.limits().max_string_size, false).is_ok();
    text_value(it, ok.then_some(out), pos)
}

/// What a new string of `n` bytes costs: refused past the string limit before it is built, and
/// counted against the bytes one call may build.
fn room(it: &mut impl Context, pos: Pos, n: usize) -> Result<(), Error> {
    if n > it.limits().max_string_size {
        return Err(Error::new(DataTooLarge("string"), pos));
    }
    it.charge_built(n, pos)
}

fn number(name: &str, a: &mut [Value], pos: Pos) -> Result<Value, Error> {
    let f = match a[0] {
        Value::Int(i) => i as f64,
        Value::Float(f) => f,
        Value::Char(c) => {
            return match (name, a.len()) {
                ("to_upper", 1) => Ok(Value::Char(case::char_with(c, case::upper))),
                ("to_lower", 1) => Ok(Value::Char(case::char_with(c, case::lower))),
                ("to_int", 1) => Ok(Value::Int(c as i64)),
                _ => Err(mismatch()),
            }
        }
        _ => return Err(mismatch()),
    };
    let is_int = matches!(a[0], Value::Int(_));
    match (name, a.len()) {
        ("abs", 1) => match a[0] {
            Value::Int(i) => i
                .checked_abs()
                .map(Value::Int)
                .ok_or_else(|| Error::runtime("arithmetic overflow", pos)),
            _ => Ok(Value::Float(f.abs())),
        },
        ("sign", 1) => Ok(Value::Int(if f > 0.0 {
            1
        } else if f < 0.0 {
            -1
        } else {
            0
        })),
        ("to_float", 1) => Ok(Value::Float(f)),
        ("to_int", 1) => {
            if is_int {
                Ok(a[0].clone())
            } else if f.is_finite() && f.abs() < 9.2e18 {
                Ok(Value::Int(f.trunc() as i64))
            } else {
                Err(Error::runtime(
                    format!("cannot convert {} to an integer", float_text(f)),
                    pos,
                ))
            }
        }
        ("to_char", 1) if is_int => u32::try_from(f as i64)
            .ok()
            .and_then(char::from_u32)
            .map(Value::Char)
            .ok_or_else(|| Error::runtime("not a character code", pos)),
        ("is_odd", 1) if is_int => Ok(Value::Bool((f as i64) % 2 != 0)),
        ("is_even", 1) if is_int => Ok(Value::Bool((f as i64) % 2 == 0)),
        ("is_zero", 1) => Ok(Value::Bool(f == 0.0)),
        _ if is_int => Err(mismatch()),
        ("floor", 1) => Ok(Value::Float(f.floor())),
        ("ceiling", 1) => Ok(Value::Float(f.ceil())),
        ("round", 1) => Ok(Value::Float(f.round())),
        ("int", 1) => Ok(Value::Float(f.trunc())),
        ("fraction", 1) => Ok(Value::Float(f.fract())),
        ("sqrt", 1) => Ok(Value::Float(f.sqrt())),
        ("exp", 1) => Ok(Value::Float(f.exp())),
        ("ln", 1) => Ok(Value::Float(f.ln())),
        ("is_nan", 1) => Ok(Value::Bool(f.is_nan())),
        _ => Err(mismatch()),
    }
}

fn text(v: &Value) -> Option<String> {
    match v {
        Value::Str(s) => Some(s.to_string()),
        Value::Char(c) => Some(c.to_string()),
        _ => None,
    }
}

fn string(it: &mut impl Context, name: &str, a: &mut [Value], pos: Pos) -> Result<Value, Error> {
    let limits = *it.limits();
    let Value::Str(s) = &a[0] else {
        return Err(mismatch());
    };
    let s = s.clone();
    let set = |a: &mut [Value], t: String| -> Result<Value, Error> {
        let v = Value::from(t);
        check_size(&v, &limits, pos)?;
        a[0] = v;
        Ok(Value::Unit)
    };

    match (name, a.len()) {
        ("len", 1) => Ok(Value::Int(char_len(&s))),
        ("is_empty", 1) => Ok(Value::Bool(s.is_empty())),
        ("to_upper" | "to_lower" | "make_upper" | "make_lower", 1) => {
            // a character's case can take up to three times its bytes
            room(it, pos, s.len())?;
            let t = if name.ends_with("upper") {
                case::upper(&s)
            } else {
                case::lower(&s)
            };
            if name.starts_with("make") {
                set(a, t)
            } else {
                let v = Value::from(t);
                check_size(&v, &limits, pos)?;
                Ok(v)
            }
        }
        ("trim", 1) => set(a, s.trim().to_string()),
        ("clear", 1) => set(a, String::new()),
        ("chars", 1) => {
            if s.chars().count() > limits.max_array_size {
                return Err(Error::new(DataTooLarge("array"), pos));
            }
            Ok(Value::array(s.chars().map(Value::Char).collect()))
        }
        ("to_json", 1) => json_value(it, &a[0], pos),
        ("contains", 2) => match &a[1] {
            Value::Str(t) => Ok(Value::Bool(s.contains(t.as_str()))),
            Value::Char(c) => Ok(Value::Bool(s.contains(*c))),
            _ => Err(mismatch()),
        },
        ("starts_with" | "ends_with", 2) => match text(&a[1]) {
            Some(t) => Ok(Value::Bool(if name == "starts_with" {
                s.starts_with(&t)
            } else {
                s.ends_with(&t)
            })),
            None => Err(mismatch()),
        },
        ("index_of", 2 | 3) => {
            let Some(t) = text(&a[1]) else {
                return Err(mismatch());
            };
            let from = if a.len() == 3 {
                int(&a[2]).ok_or_else(mismatch)?
            } else {
                0
            };
            let start = byte_at(&s, from);
            Ok(Value::Int(match s[start..].find(&t) {
                Some(b) => char_len(&s[..start + b]),
                None => -1,
            }))
        }
        ("sub_string", 2) => match (int(&a[1]), &a[1]) {
            (Some(st), _) => Ok(Value::from(sub(&s, st, i64::MAX / 2))),
            (None, Value::Range(x, y)) => Ok(Value::from(sub(&s, *x, y - x))),
            _ => Err(mismatch()),
        },
        ("sub_string", 3) => match (int(&a[1]), int(&a[2])) {
            (Some(st), Some(len)) => Ok(Value::from(sub(&s, st, len))),
            _ => Err(mismatch()),
        },
        ("crop", 2 | 3) => {
            let st = int(&a[1]).ok_or_else(mismatch)?;
            let len = if a.len() == 3 {
                int(&a[2]).ok_or_else(mismatch)?
            } else {
                i64::MAX / 2
            };
            set(a, sub(&s, st, len))
        }
        ("truncate", 2) => {
            let n = int(&a[1]).ok_or_else(mismatch)?;
            set(a, sub(&s, 0, n))
        }
        ("get", 2) => {
            let n = int(&a[1]).ok_or_else(mismatch)?;
            let len = s.chars().count();
            Ok(array_index(n, len)
                .and_then(|k| s.chars().nth(k))
                .map(Value::Char)
                .unwrap_or(Value::Unit))
        }
        ("split", 1) => {
            // the pieces are counted before any is made
            if s.split_whitespace().count() > limits.max_array_size {
                return Err(Error::new(DataTooLarge("array"), pos));
            }
            room(it, pos, s.len())?;
            Ok(Value::array(
                s.split_whitespace().map(Value::from).collect(),
            ))
        }
        ("split", 2) => match text(&a[1]) {
            Some(sep) if !sep.is_empty() => {
                if s.split(sep.as_str()).count() > limits.max_array_size {
                    return Err(Error::new(DataTooLarge("array"), pos));
                }
                room(it, pos, s.len())?;
                Ok(Value::array(
                    s.split(sep.as_str()).map(Value::from).collect(),
                ))
            }
            Some(_) => {
                if s.chars().count() > limits.max_array_size {
                    return Err(Error::new(DataTooLarge("array"), pos));
                }
                room(it, pos, s.len())?;
                Ok(Value::array(
                    s.chars().map(|c| Value::from(c.to_string())).collect(),
                ))
            }
            None => Err(mismatch()),
        },
        ("replace", 3) => match (text(&a[1]), text(&a[2])) {
            (Some(x), Some(y)) if !x.is_empty() => {
                // the result's size is known before it is built
                let n = s.matches(x.as_str()).count();
                let size = (s.len() - n * x.len()).saturating_add(n.saturating_mul(y.len()));
                room(it, pos, size)?;
                set(a, s.replace(&x, &y))
            }
            (Some(_), Some(_)) => Ok(Value::Unit),
            _ => Err(mismatch()),
        },
        ("remove", 2) => match text(&a[1]) {
            Some(x) if !x.is_empty() => set(a, s.replace(&x, "")),
            Some(_) => Ok(Value::Unit),
            None => Err(mismatch()),
        },
        ("pad", 3) => match (int(&a[1]), text(&a[2])) {
            (Some(n), Some(fill)) => {
                let mut t = s.to_string();
                let mut count = char_len(&t);
                if n > 0 && !fill.is_empty() {
                    let target = n as usize;
                    if target.saturating_mul(fill.len().max(1))
                        > limits.max_string_size.saturating_mul(4)
                    {
                        return Err(Error::new(
                            super::error::ErrorKind::DataTooLarge("string"),
                            pos,
                        ));
                    }
                    while (count as usize) < target {
                        t.push_str(&fill);
                        count += char_len(&fill);
                        if t.len() > limits.max_string_size {
                            return Err(Error::new(
                                super::error::ErrorKind::DataTooLarge("string"),
                                pos,
                            ));
                        }
                    }
                    t = sub(&t, 0, n);
                }
                room(it, pos, t.len())?;
                set(a, t)
            }
            _ => Err(mismatch()),
        },
        ("append", 2) => {
            let more = super::ops::text_within(&a[1], s.len(), &limits, pos)?;
            room(it, pos, s.len() + more.len())?;
            let mut t = s.to_string();
            t.push_str(&more);
            set(a, t)
        }
        _ => Err(mismatch()),
    }
}

fn array(it: &mut impl Context, name: &str, a: &mut [Value], pos: Pos) -> Result<Value, Error> {
    let limits = *it.limits();
    let (recv, rest) = a.split_first_mut().ok_or_else(mismatch)?;
    let Value::Array(arr) = recv else {
        return Err(mismatch());
    };
    let grow = |arr: &Vec<Value>, by: usize| -> Result<(), Error> {
        if arr.len().saturating_add(by) > limits.max_array_size {
            Err(Error::new(
                super::error::ErrorKind::DataTooLarge("array"),
                pos,
            ))
        } else {
            Ok(())
        }
    };
    match (name, rest) {
        ("len", []) => Ok(Value::Int(arr.len() as i64)),
        ("is_empty", []) => Ok(Value::Bool(arr.is_empty())),
        ("push", [x]) => {
            grow(arr, 1)?;
            Rc::make_mut(arr).push(std::mem::take(x));
            Ok(Value::Unit)
        }
        ("append" | "extend", [Value::Array(y)]) => {
            grow(arr, y.len())?;
            Rc::make_mut(arr).extend(y.iter().cloned());
            Ok(Value::Unit)
        }
        ("pop", []) => Ok(Rc::make_mut(arr).pop().unwrap_or(Value::Unit)),
        ("shift", []) => {
            if arr.is_empty() {
                Ok(Value::Unit)
            } else {
                Ok(Rc::make_mut(arr).remove(0))
            }
        }
        ("insert", [Value::Int(i), x]) => {
            grow(arr, 1)?;
            let len = arr.len() as i64;
            let at = if *i < 0 {
                (len + *i).max(0)
            } else {
                (*i).min(len)
            };
            Rc::make_mut(arr).insert(at as usize, std::mem::take(x));
            Ok(Value::Unit)
        }
        ("remove", [Value::Int(i)]) => Ok(match array_index(*i, arr.len()) {
            Some(k) => Rc::make_mut(arr).remove(k),
            None => Value::Unit,
        }),
        ("clear", []) => {
            Rc::make_mut(arr).clear();
            Ok(Value::Unit)
        }
        ("truncate", [Value::Int(n)]) => {
            Rc::make_mut(arr).truncate((*n).max(0) as usize);
            Ok(Value::Unit)
        }
        ("get", [Value::Int(i)]) => Ok(array_index(*i, arr.len())
            .map(|k| arr[k].clone())
            .unwrap_or(Value::Unit)),
        ("contains", [x]) => Ok(Value::Bool(arr.iter().any(|y| values_equal(x, y)))),
        ("index_of", [Value::Fn(f)]) => {
            let f = f.clone();
            let items = arr.clone();
            for (k, x) in items.iter().enumerate() {
                if truthy(it.call_value(&f, vec![x.clone()], pos)?, pos)? {
                    return Ok(Value::Int(k as i64));
                }
            }
            Ok(Value::Int(-1))
        }
        ("index_of", [x]) => Ok(Value::Int(
            arr.iter()
                .position(|y| values_equal(x, y))
                .map(|k| k as i64)
                .unwrap_or(-1),
        )),
        ("reverse", []) => {
            Rc::make_mut(arr).reverse();
            Ok(Value::Unit)
        }
        ("sort", []) => {
            sort_default(Rc::make_mut(arr).as_mut_slice(), pos)?;
            Ok(Value::Unit)
        }
        ("sort", [Value::Fn(f)]) => {
            // insertion sort through the comparator: errors stop it, and each call counts
            let f = f.clone();
            let mut items: Vec<Value> = arr.iter().cloned().collect();
            for i in 1..items.len() {
                let mut j = i;
                while j > 0 {
                    let c = it.call_value(&f, vec![items[j - 1].clone(), items[j].clone()], pos)?;
                    let gt = match c {
                        Value::Int(n) => n > 0,
                        Value::Bool(b) => b,
                        other => {
                            return Err(Error::runtime(
                                format!(
                                    "a sort function must return an integer, not {}",
                                    other.type_name()
                                ),
                                pos,
                            ))
                        }
                    };
                    if !gt {
                        break;
                    }
                    items.swap(j - 1, j);
                    j -= 1;
                }
            }
            *arr = Rc::new(items);
            Ok(Value::Unit)
        }
        ("map" | "filter" | "some" | "all" | "find" | "retain", [Value::Fn(f)]) => {
            let f = f.clone();
            let items = arr.clone();
            let mut out = Vec::new();
            for x in items.iter() {
                let r = it.call_value(&f, vec![x.clone()], pos)?;
                match name {
                    "map" => out.push(r),
                    "filter" | "retain" => {
                        if truthy(r, pos)? {
                            out.push(x.clone());
                        }
                    }
                    "some" => {
                        if truthy(r, pos)? {
                            return Ok(Value::Bool(true));
                        }
                    }
                    "all" => {
                        if !truthy(r, pos)? {
                            return Ok(Value::Bool(false));
                        }
                    }
                    _ => {
                        if truthy(r, pos)? {
                            return Ok(x.clone());
                        }
                    }
                }
            }
            match name {
                "map" | "filter" => Ok(Value::array(out)),
                "retain" => {
                    *arr = Rc::new(out);
                    Ok(Value::Unit)
                }
                "some" => Ok(Value::Bool(false)),
                "all" => Ok(Value::Bool(true)),
                _ => Ok(Value::Unit),
            }
        }
        ("reduce", [Value::Fn(f), init @ ..]) if init.len() <= 1 => {
            let f = f.clone();
            let mut acc = init.first().cloned().unwrap_or(Value::Unit);
            let items = arr.clone();
            for x in items.iter() {
                acc = it.call_value(&f, vec![acc, x.clone()], pos)?;
            }
            Ok(acc)
        }
        ("extract", [Value::Int(st), more @ ..]) if more.len() <= 1 => {
            let n = arr.len() as i64;
            let st = if *st < 0 {
                (n + *st).max(0)
            } else {
                (*st).min(n)
            };
            let len = match more.first() {
                Some(Value::Int(l)) => (*l).clamp(0, n - st),
                None => n - st,
                Some(_) => return Err(mismatch()),
            };
            Ok(Value::array(arr[st as usize..(st + len) as usize].to_vec()))
        }
        ("to_json", []) => json_value(it, recv, pos),
        _ => Err(mismatch()),
    }
}

fn map(it: &mut impl Context, name: &str, a: &mut [Value], pos: Pos) -> Result<Value, Error> {
    let limits = *it.limits();
    let (recv, rest) = a.split_first_mut().ok_or_else(mismatch)?;
    let Value::Map(m) = recv else {
        return Err(mismatch());
    };
    let key = |v: &Value| -> Option<Rc<str>> {
        match v {
            Value::Str(s) => Some(Rc::from(s.as_str())),
            Value::Char(c) => Some(Rc::from(c.to_string().as_str())),
            _ => None,
        }
    };
    match (name, rest) {
        ("len", []) => Ok(Value::Int(m.len() as i64)),
        ("is_empty", []) => Ok(Value::Bool(m.is_empty())),
        ("keys", []) => Ok(Value::array(m.keys().map(|k| Value::str(k)).collect())),
        ("values", []) => Ok(Value::array(m.values().cloned().collect())),
        ("contains", [k]) => match key(k) {
            Some(k) => Ok(Value::Bool(m.contains_key(&k))),
            None => Err(mismatch()),
        },
        ("get", [k]) => match key(k) {
            Some(k) => Ok(m.get(&k).cloned().unwrap_or(Value::Unit)),
            None => Err(mismatch()),
        },
        ("set", [k, v]) => match key(k) {
            Some(k) => {
                if !m.contains_key(&k) && m.len() >= limits.max_map_size {
                    return Err(Error::new(
                        super::error::ErrorKind::DataTooLarge("map"),
                        pos,
                    ));
                }
                Rc::make_mut(m).insert(k, std::mem::take(v));
                Ok(Value::Unit)
            }
            None => Err(mismatch()),
        },
        ("remove", [k]) => match key(k) {
            Some(k) => Ok(Rc::make_mut(m).remove(&k).unwrap_or(Value::Unit)),
            None => Err(mismatch()),
        },
        ("clear", []) => {
            Rc::make_mut(m).clear();
            Ok(Value::Unit)
        }
        ("mixin", [Value::Map(y)]) => {
            let y = y.clone();
            let mm = Rc::make_mut(m);
            for (k, v) in y.iter() {
                mm.insert(k.clone(), v.clone());
            }
            if mm.len() > limits.max_map_size {
                return Err(Error::new(
                    super::error::ErrorKind::DataTooLarge("map"),
                    pos,
                ));
            }
            Ok(Value::Unit)
        }
        ("to_json", []) => json_value(it, recv, pos),
        _ => Err(mismatch()),
    }
}
