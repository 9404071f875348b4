//! The tree-walking interpreter: scopes, closures capturing by shared reference, calls, loops,
//! `try`/`catch`, and the operation count that bounds every run.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use super::ast::{BinOp, Block, CasePattern, Expr, FnDef, Program, Stmt};
use super::builtins;
use super::error::{Error, ErrorKind};
use super::limits::Limits;
use super::native::NativeFn;
use super::ops;
use super::pos::Pos;
use super::value::{Captured, Closure, FnValue, Value};

/// Non-local control flow, or an error.
pub(crate) enum Flow {
    Err(Box<Error>),
    Break(Value),
    Continue,
    Return(Value),
}

impl From<Error> for Flow {
    fn from(e: Error) -> Self {
        Flow::Err(Box::new(e))
    }
}

pub(crate) type R<T> = Result<T, Flow>;

enum Slot {
    Own(Value),
    Shared(Rc<RefCell<Value>>),
}

struct Var {
    name: Rc<str>,
    slot: Slot,
    constant: bool,
}

/// One step of an assignment target below its variable.
enum Step {
    Prop(Rc<str>),
    Index(Value),
}

/// Methods that change their receiver: called on a variable (or a property or element of one),
/// the changed value is written back.
fn mutates(name: &str) -> bool {
    matches!(
        name,
        "push"
            | "pop"
            | "shift"
            | "insert"
            | "remove"
            | "clear"
            | "append"
            | "pad"
            | "truncate"
            | "reverse"
            | "sort"
            | "extend"
            | "retain"
            | "dedup"
            | "trim"
            | "make_upper"
            | "make_lower"
            | "replace"
            | "crop"
            | "set"
            | "mixin"
    )
}

fn same_name(a: &Rc<str>, b: &str) -> bool {
    std::ptr::eq(a.as_ptr(), b.as_ptr()) && a.len() == b.len() || **a == *b
}

/// What one run or call takes from the engine that starts it: the limits, the host functions and
/// the callbacks. The engine sits above the interpreter and hands these down; the interpreter
/// never names it.
pub(crate) struct Env<'a> {
    /// The limits of the run or call.
    pub(crate) limits: Limits,
    /// The host functions, by name (one replaces a built-in of the same name).
    pub(crate) natives: &'a HashMap<&'static str, NativeFn>,
    /// Called after every operation with the count so far; `true` stops the script.
    pub(crate) on_progress: Option<&'a dyn Fn(u64) -> bool>,
    /// Receives the text of `print(x)` and `debug(x)`.
    pub(crate) on_print: Option<&'a dyn Fn(&str)>,
}

/// The state of one run or call.
pub(crate) struct Interp<'a> {
    env: Env<'a>,
    prog: &'a Program,
    pub(crate) ops: u64,
    /// Bytes of strings built so far ([`super::limits::Limits::max_built_bytes`]).
    pub(crate) built: u64,
    scope: Vec<Var>,
    /// Where the current function's variables start (a function cannot see its caller's).
    base: usize,
    depth: usize,
}

impl<'a> Interp<'a> {
    pub(crate) fn new(env: Env<'a>, prog: &'a Program) -> Self {
        Self {
            env,
            prog,
            ops: 0,
            built: 0,
            scope: Vec::with_capacity(16),
            base: 0,
            depth: 0,
        }
    }

    /// Counts one operation; stops the script past the limit or when the progress callback says so.
    #[inline]
    pub(crate) fn tick(&mut self, pos: Pos) -> Result<(), Error> {
        self.ops += 1;
        if self.ops > self.env.limits.max_operations {
            return Err(Error::new(ErrorKind::TooManyOperations, pos));
        }
        if let Some(p) = self.env.on_progress {
            if p(self.ops) {
                return Err(Error::new(ErrorKind::Terminated, pos));
            }
        }
        Ok(())
    }

    /// Counts `n` bytes of string built by this run or call; past the limit the script stops.
    pub(crate) fn charge_built(&mut self, n: usize, pos: Pos) -> Result<(), Error> {
        ops::charge_built(&mut self.built, n, &self.env.limits, pos)
    }

    pub(crate) fn run_top(&mut self) -> Result<Value, Error> {
        let prog = self.prog;
        let mut last = Value::Unit;
        for s in &prog.stmts {
            match self.stmt(s) {
                Ok(v) => last = v,
                Err(Flow::Return(v)) => return Ok(v),
                Err(Flow::Err(e)) => return Err(*e),
                Err(Flow::Break(_) | Flow::Continue) => {
                    return Err(Error::runtime(
                        "'break' or 'continue' outside a loop",
                        s_pos(s),
                    ))
                }
            }
        }
        Ok(last)
    }

    // ---- variables

    fn find(&self, name: &str) -> Option<usize> {
        (self.base..self.scope.len())
            .rev()
            .find(|&i| same_name(&self.scope[i].name, name))
    }

    fn get_var(&self, name: &Rc<str>, pos: Pos) -> R<Value> {
        match self.find(name) {
            Some(i) => match &self.scope[i].slot {
                Slot::Own(v) => Ok(v.clone()),
                Slot::Shared(c) => match c.try_borrow() {
                    Ok(v) => Ok(v.clone()),
                    Err(_) => Err(Error::runtime(format!("'{name}' is in use"), pos).into()),
                },
            },
            None => Err(Error::new(ErrorKind::VarNotFound(name.to_string()), pos).into()),
        }
    }

    fn push_var(&mut self, name: Rc<str>, v: Value, constant: bool) {
        self.scope.push(Var {
            name,
            slot: Slot::Own(v),
            constant,
        });
    }

    // ---- statements and blocks

    fn block(&mut self, b: &Block) -> R<Value> {
        let mark = self.scope.len();
        let r = self.stmts(&b.stmts);
        self.scope.truncate(mark);
        r
    }

    fn stmts(&mut self, stmts: &[Stmt]) -> R<Value> {
        let mut last = Value::Unit;
        for s in stmts {
            last = self.stmt(s)?;
        }
        Ok(last)
    }

    fn stmt(&mut self, s: &Stmt) -> R<Value> {
        match s {
            Stmt::Expr(e) => self.eval(e),
            Stmt::Let(name, e, constant, pos) => {
                self.tick(*pos)?;
                let v = match e {
                    Some(e) => self.eval(e)?,
                    None => Value::Unit,
                };
                self.push_var(name.clone(), v, *constant);
                Ok(Value::Unit)
            }
            Stmt::Assign(target, op, e, pos) => {
                self.tick(*pos)?;
                let v = self.eval(e)?;
                self.assign(target, *op, v, *pos)?;
                Ok(Value::Unit)
            }
            Stmt::While(c, b, pos) => loop {
                self.tick(*pos)?;
                if !self.cond(c)? {
                    return Ok(Value::Unit);
                }
                match self.block(b) {
                    Ok(_) | Err(Flow::Continue) => {}
                    Err(Flow::Break(v)) => return Ok(v),
                    Err(e) => return Err(e),
                }
            },
            Stmt::Loop(b, pos) => loop {
                self.tick(*pos)?;
                match self.block(b) {
                    Ok(_) | Err(Flow::Continue) => {}
                    Err(Flow::Break(v)) => return Ok(v),
                    Err(e) => return Err(e),
                }
            },
            Stmt::Do(b, c, until, pos) => loop {
                self.tick(*pos)?;
                match self.block(b) {
                    Ok(_) | Err(Flow::Continue) => {}
                    Err(Flow::Break(v)) => return Ok(v),
                    Err(e) => return Err(e),
                }
                if self.cond(c)? == *until {
                    return Ok(Value::Unit);
                }
            },
            Stmt::For(name, index, e, b, pos) => self.for_loop(name, index.as_ref(), e, b, *pos),
            Stmt::Break(e, _) => {
                let v = match e {
                    Some(e) => self.eval(e)?,
                    None => Value::Unit,
                };
                Err(Flow::Break(v))
            }
            Stmt::Continue(_) => Err(Flow::Continue),
            Stmt::Return(e, _) => {
                let v = match e {
                    Some(e) => self.eval(e)?,
                    None => Value::Unit,
                };
                Err(Flow::Return(v))
            }
            Stmt::Throw(e, pos) => {
                let v = match e {
                    Some(e) => self.eval(e)?,
                    None => Value::Unit,
                };
                Err(Error::thrown(v, *pos).into())
            }
            Stmt::Try(b, var, c, pos) => {
                self.tick(*pos)?;
                let depth = self.depth;
                let base = self.base;
                match self.block(b) {
                    Err(Flow::Err(e)) if e.is_catchable() => {
                        self.depth = depth;
                        self.base = base;
                        let mark = self.scope.len();
                        if let Some(var) = var {
                            // as in Rhai: the thrown value, or a map describing the error
                            let v = match &e.kind {
                                ErrorKind::Thrown(v) => v.clone(),
                                _ => {
                                    let mut m = super::value::Map::new();
                                    m.insert("message".into(), Value::from(e.message()));
                                    if e.pos.is_some() {
                                        m.insert("line".into(), Value::Int(e.pos.line as i64));
                                        m.insert("position".into(), Value::Int(e.pos.col as i64));
                                    }
                                    Value::map(m)
                                }
                            };
                            self.push_var(var.clone(), v, false);
                        }
                        let r = self.block(c);
                        self.scope.truncate(mark);
                        r
                    }
                    other => other,
                }
            }
        }
    }

    fn iteration(
        &mut self,
        name: &Rc<str>,
        index: Option<&Rc<str>>,
        item: Value,
        k: i64,
        b: &Block,
        pos: Pos,
    ) -> R<bool> {
        self.tick(pos)?;
        let mark = self.scope.len();
        self.push_var(name.clone(), item, false);
        if let Some(ix) = index {
            self.push_var(ix.clone(), Value::Int(k), false);
        }
        let r = self.stmts(&b.stmts);
        self.scope.truncate(mark);
        match r {
            Ok(_) | Err(Flow::Continue) => Ok(true),
            Err(Flow::Break(v)) => Err(Flow::Break(v)),
            Err(e) => Err(e),
        }
    }

    fn for_loop(
        &mut self,
        name: &Rc<str>,
        index: Option<&Rc<str>>,
        e: &Expr,
        b: &Block,
        pos: Pos,
    ) -> R<Value> {
        let over = self.eval(e)?;
        let r = match over {
            Value::Range(a, z) => {
                let mut i = a;
                let mut r = Ok(true);
                while i < z {
                    r = self.iteration(name, index, Value::Int(i), i.wrapping_sub(a), b, pos);
                    if r.is_err() {
                        break;
                    }
                    i += 1;
                }
                r
            }
            Value::Array(items) => {
                let mut r = Ok(true);
                for (k, x) in items.iter().enumerate() {
                    r = self.iteration(name, index, x.clone(), k as i64, b, pos);
                    if r.is_err() {
                        break;
                    }
                }
                r
            }
            Value::Str(s) => {
                let mut r = Ok(true);
                for (k, c) in s.chars().enumerate() {
                    r = self.iteration(name, index, Value::Char(c), k as i64, b, pos);
                    if r.is_err() {
                        break;
                    }
                }
                r
            }
            other => {
                return Err(Error::runtime(
                    format!(
                        "a for loop needs an array, a range or a string, not {}",
                        other.type_name()
                    ),
                    e.pos(),
                )
                .into())
            }
        };
        match r {
            Ok(_) => Ok(Value::Unit),
            Err(Flow::Break(v)) => Ok(v),
            Err(e) => Err(e),
        }
    }

    fn cond(&mut self, e: &Expr) -> R<bool> {
        match self.eval(e)? {
            Value::Bool(b) => Ok(b),
            other => Err(Error::runtime(
                format!(
                    "a condition must be true or false, not {}",
                    other.type_name()
                ),
                e.pos(),
            )
            .into()),
        }
    }

    // ---- expressions

    pub(crate) fn eval(&mut self, e: &Expr) -> R<Value> {
        match e {
            Expr::Unit => Ok(Value::Unit),
            Expr::Bool(b) => Ok(Value::Bool(*b)),
            Expr::Int(i) => Ok(Value::Int(*i)),
            Expr::Float(f) => Ok(Value::Float(*f)),
            Expr::Char(c) => Ok(Value::Char(*c)),
            Expr::Str(s) => Ok(Value::Str(s.clone())),
            Expr::Var(n, pos) => self.get_var(n, *pos),
            Expr::Array(items, pos) => self.array_lit(items, *pos),
            Expr::Map(items, pos) => self.map_lit(items, *pos),
            Expr::Binary(op, p, pos) => self.eval_binary(*op, p, *pos),
            Expr::Call(name, args, pos) => self.call_expr(name, args, *pos),
            Expr::Method(obj, name, args, safe, pos) => {
                self.method_expr(obj, name, args, *safe, *pos)
            }
            Expr::Closure(def, pos) => self.make_closure(def, *pos),
            Expr::Block(b) => self.block(b),
            other => self.eval_other(other),
        }
    }

    #[inline(never)]
    fn eval_binary(&mut self, op: BinOp, p: &(Expr, Expr), pos: Pos) -> R<Value> {
        let a = self.eval(&p.0)?;
        let b = self.eval(&p.1)?;
        self.tick(pos)?;
        Ok(ops::binary(
            op,
            a,
            b,
            pos,
            &self.env.limits,
            &mut self.built,
        )?)
    }

    #[inline(never)]
    fn eval_other(&mut self, e: &Expr) -> R<Value> {
        match e {
            Expr::Neg(x, pos) => {
                let v = self.eval(x)?;
                self.tick(*pos)?;
                Ok(ops::neg(v, *pos)?)
            }
            Expr::Not(x, pos) => {
                let v = self.eval(x)?;
                self.tick(*pos)?;
                match v {
                    Value::Bool(b) => Ok(Value::Bool(!b)),
                    other => Err(Error::runtime(
                        format!("'!' needs true or false, not {}", other.type_name()),
                        *pos,
                    )
                    .into()),
                }
            }
            Expr::And(p, pos) => {
                self.tick(*pos)?;
                Ok(Value::Bool(self.cond(&p.0)? && self.cond(&p.1)?))
            }
            Expr::Or(p, pos) => {
                self.tick(*pos)?;
                Ok(Value::Bool(self.cond(&p.0)? || self.cond(&p.1)?))
            }
            Expr::Coalesce(p, pos) => {
                self.tick(*pos)?;
                match self.eval(&p.0)? {
                    Value::Unit => self.eval(&p.1),
                    v => Ok(v),
                }
            }
            Expr::Range(p, inclusive, pos) => {
                let a = self.eval(&p.0)?;
                let b = self.eval(&p.1)?;
                self.tick(*pos)?;
                match (a, b) {
                    (Value::Int(a), Value::Int(b)) => {
                        let end = if *inclusive { b.saturating_add(1) } else { b };
                        Ok(Value::Range(a, end))
                    }
                    (a, b) => Err(Error::runtime(
                        format!(
                            "a range needs integers, not {} and {}",
                            a.type_name(),
                            b.type_name()
                        ),
                        *pos,
                    )
                    .into()),
                }
            }
            Expr::Prop(x, name, safe, pos) => {
                let v = self.eval(x)?;
                self.tick(*pos)?;
                if *safe && v.is_unit() {
                    return Ok(Value::Unit);
                }
                Ok(ops::get_prop(&v, name, *pos)?)
            }
            Expr::Index(p, safe, pos) => {
                let v = self.eval(&p.0)?;
                let i = self.eval(&p.1)?;
                self.tick(*pos)?;
                if *safe && v.is_unit() {
                    return Ok(Value::Unit);
                }
                Ok(ops::index(&v, &i, *pos)?)
            }
            Expr::Interp(parts, pos) => {
                self.tick(*pos)?;
                let mut out = String::new();
                for p in parts {
                    let v = self.eval(p)?;
                    // the part's size is checked before it is built or copied
                    match v {
                        Value::Str(s)
                            if out.len().saturating_add(s.len())
                                <= self.env.limits.max_string_size =>
                        {
                            out.push_str(&s)
                        }
                        other => {
                            let part = ops::text_within(&other, out.len(), &self.env.limits, *pos)?;
                            out.push_str(&part)
                        }
                    }
                }
                self.charge_built(out.len(), *pos)?;
                Ok(Value::from(out))
            }
            Expr::If(x, pos) => {
                self.tick(*pos)?;
                if self.cond(&x.0)? {
                    self.block(&x.1)
                } else if let Some(e) = &x.2 {
                    self.eval(e)
                } else {
                    Ok(Value::Unit)
                }
            }
            Expr::Switch(x, pos) => {
                self.tick(*pos)?;
                let value = self.eval(&x.value)?;
                for case in &x.cases {
                    if case.patterns.iter().any(|p| case_matches(p, &value))
                        && match &case.cond {
                            Some(c) => self.cond(c)?,
                            None => true,
                        }
                    {
                        return self.eval(&case.body);
                    }
                }
                match &x.default {
                    Some(e) => self.eval(e),
                    None => Ok(Value::Unit),
                }
            }
            other => self.eval(other),
        }
    }

    fn array_lit(&mut self, items: &[Expr], pos: Pos) -> R<Value> {
        self.tick(pos)?;
        if items.len() > self.env.limits.max_array_size {
            return Err(Error::new(ErrorKind::DataTooLarge("array"), pos).into());
        }
        let mut out = Vec::with_capacity(items.len());
        for x in items {
            let v = self.eval(x)?;
            self.check_child(&v, pos)?;
            out.push(v);
        }
        Ok(Value::array(out))
    }

    fn map_lit(&mut self, items: &[(Rc<str>, Expr)], pos: Pos) -> R<Value> {
        self.tick(pos)?;
        if items.len() > self.env.limits.max_map_size {
            return Err(Error::new(ErrorKind::DataTooLarge("map"), pos).into());
        }
        let mut m = super::value::Map::new();
        for (k, x) in items {
            let v = self.eval(x)?;
            self.check_child(&v, pos)?;
            m.insert(k.clone(), v);
        }
        Ok(Value::map(m))
    }

    /// Checks that `v` may go inside an array, a map or a closure: arrays, maps and closures hold one
    /// another at most [`MAX_VALUE_DEPTH`] deep, so freeing, printing or comparing a value never
    /// runs out of stack. The walk counts as operations.
    pub(crate) fn check_child(&mut self, v: &Value, pos: Pos) -> Result<(), Error> {
        if !holds_values(v) {
            return Ok(());
        }
        let budget = self.env.limits.max_operations.saturating_sub(self.ops);
        let mut visited = 0u64;
        let too_deep = too_deep(v, 0, &mut visited, budget, &mut Vec::new());
        self.ops = self.ops.saturating_add(visited);
        if self.ops > self.env.limits.max_operations {
            return Err(Error::new(ErrorKind::TooManyOperations, pos));
        }
        if too_deep {
            return Err(Error::new(
                ErrorKind::DataTooLarge("nesting of arrays, maps and closures"),
                pos,
            ));
        }
        Ok(())
    }

    fn make_closure(&mut self, def: &Rc<FnDef>, pos: Pos) -> R<Value> {
        let mut captured = Vec::with_capacity(def.captures.len());
        for name in &def.captures {
            if let Some(i) = self.find(name) {
                let var = &mut self.scope[i];
                let cell = match &mut var.slot {
                    Slot::Shared(c) => c.clone(),
                    Slot::Own(v) => {
                        let c = Rc::new(RefCell::new(std::mem::take(v)));
                        var.slot = Slot::Shared(c.clone());
                        c
                    }
                };
                let constant = var.constant;
                let v = cell.borrow().clone();
                self.check_child(&v, pos)?;
                captured.push((name.clone(), cell, constant));
            }
        }
        Ok(Value::Fn(FnValue::Closure(Rc::new(Closure {
            def: def.clone(),
            captured,
        }))))
    }

    // ---- assignment

    fn path(&mut self, e: &Expr, steps: &mut Vec<Step>) -> R<(Rc<str>, Pos)> {
        match e {
            Expr::Var(n, pos) => Ok((n.clone(), *pos)),
            Expr::Prop(x, name, _, _) => {
                let root = self.path(x, steps)?;
                steps.push(Step::Prop(name.clone()));
                Ok(root)
            }
            Expr::Index(p, _, _) => {
                let root = self.path(&p.0, steps)?;
                let i = self.eval(&p.1)?;
                steps.push(Step::Index(i));
                Ok(root)
            }
            other => Err(Error::runtime("cannot assign to this expression", other.pos()).into()),
        }
    }

    /// Applies `f` to the value a target names (a variable, or a property or element below one).
    fn with_target<T>(
        &mut self,
        target: &Expr,
        pos: Pos,
        f: impl FnOnce(&mut Value) -> Result<T, Error>,
    ) -> R<T> {
        let mut steps = Vec::new();
        let (root, rpos) = self.path(target, &mut steps)?;
        let Some(i) = self.find(&root) else {
            return Err(Error::new(ErrorKind::VarNotFound(root.to_string()), rpos).into());
        };
        let limits = self.env.limits;
        let var = &mut self.scope[i];
        if var.constant {
            return Err(Error::runtime(
                format!("'{root}' is a constant and cannot be changed"),
                pos,
            )
            .into());
        }
        let r = match &mut var.slot {
            Slot::Own(v) => navigate(v, &steps, pos, &limits, f),
            Slot::Shared(c) => match c.try_borrow_mut() {
                Ok(mut v) => navigate(&mut v, &steps, pos, &limits, f),
                Err(_) => Err(Error::runtime(format!("'{root}' is in use"), pos)),
            },
        };
        Ok(r?)
    }

    fn assign(&mut self, target: &Expr, op: Option<BinOp>, v: Value, pos: Pos) -> R<()> {
        let inside = match target {
            Expr::Var(n, _) => self
                .find(n)
                .is_some_and(|i| matches!(self.scope[i].slot, Slot::Shared(_))),
            _ => true,
        };
        if inside {
            // the value goes inside a container, or into a variable a closure holds
            self.check_child(&v, pos)?;
        }
        let limits = self.env.limits;
        let mut built = self.built;
        let r = self.with_target(target, pos, |slot| {
            match op {
                None => *slot = v,
                Some(op) => ops::assign_op(op, slot, v, pos, &limits, &mut built)?,
            }
            Ok(())
        });
        self.built = built;
        r
    }

    // ---- calls

    fn eval_args(&mut self, args: &[Expr], first: Option<Value>) -> R<Vec<Value>> {
        let mut out = Vec::with_capacity(args.len() + first.is_some() as usize);
        if let Some(f) = first {
            out.push(f);
        }
        for a in args {
            out.push(self.eval(a)?);
        }
        Ok(out)
    }

    fn script_fn(&self, name: &str, arity: usize) -> Option<Rc<FnDef>> {
        if self.prog.fns.is_empty() {
            return None;
        }
        self.prog
            .fns
            .get(name)?
            .iter()
            .find(|f| f.params.len() == arity)
            .cloned()
    }

    fn call_expr(&mut self, name: &Rc<str>, args: &[Expr], pos: Pos) -> R<Value> {
        self.tick(pos)?;
        let mut argv = self.eval_args(args, None)?;
        if let Some(def) = self.script_fn(name, argv.len()) {
            return self.call_def(&def, &[], argv, None, pos);
        }
        match self.call_native(name, &mut argv, pos) {
            Some(r) => r,
            None => {
                // a variable holding a function
                if let Some(i) = self.find(name) {
                    let f = match &self.scope[i].slot {
                        Slot::Own(v) => v.clone(),
                        Slot::Shared(c) => c.borrow().clone(),
                    };
                    if let Value::Fn(f) = f {
                        return self.call_fn_value(&f, argv, pos);
                    }
                }
                Err(not_found(name, &argv, pos, self.known(name)).into())
            }
        }
    }

    fn known(&self, name: &str) -> bool {
        self.env.natives.get(name).is_some()
            || builtins::exists(name)
            || self.prog.fns.contains_key(name)
    }

    /// A host function or a built-in; `None` when neither takes these arguments.
    fn call_native(&mut self, name: &str, argv: &mut [Value], pos: Pos) -> Option<R<Value>> {
        if let Some(f) = self.env.natives.get(name) {
            let f = f.clone();
            match f(argv) {
                Ok(v) => return Some(Ok(v)),
                Err(e) if matches!(&e.kind, ErrorKind::FnNotFound(s) if s.is_empty()) => {}
                Err(mut e) => {
                    if !e.pos.is_some() {
                        e.pos = pos;
                    }
                    return Some(Err(e.into()));
                }
            }
        }
        match builtins::call(self, name, argv, pos)? {
            Err(e) if matches!(&e.kind, ErrorKind::FnNotFound(s) if s.is_empty()) => None,
            Err(mut e) => {
                if !e.pos.is_some() {
                    e.pos = pos;
                }
                Some(Err(e.into()))
            }
            Ok(v) => Some(Ok(v)),
        }
    }

    fn method_expr(
        &mut self,
        obj: &Expr,
        name: &Rc<str>,
        args: &[Expr],
        safe: bool,
        pos: Pos,
    ) -> R<Value> {
        self.tick(pos)?;
        if mutates(name) && !safe && is_place(obj) {
            let mut argv = self.eval_args(args, None)?;
            // the receiver is taken out of its variable, changed, and put back
            let recv = match self.with_target(obj, pos, |slot| Ok(std::mem::take(slot))) {
                Ok(v) => v,
                Err(Flow::Err(_)) => self.eval(obj)?,
                Err(other) => return Err(other),
            };
            argv.insert(0, recv);
            let r = self.call_method_values(name, &mut argv, pos);
            let back = std::mem::take(&mut argv[0]);
            let _ = self.with_target(obj, pos, |slot| {
                *slot = back;
                Ok(())
            });
            return r;
        }
        let recv = self.eval(obj)?;
        if safe && recv.is_unit() {
            return Ok(Value::Unit);
        }
        if let Value::Fn(f) = &recv {
            if &**name == "call" {
                let argv = self.eval_args(args, None)?;
                return self.call_fn_value(f, argv, pos);
            }
        }
        if let Some(def) = self.script_fn(name, args.len()) {
            // a script function called as a method: the receiver is `this`, and changes to it
            // go back to the receiver's variable (as in Rhai)
            let argv = self.eval_args(args, None)?;
            let mut recv = recv;
            let r = self.call_def(&def, &[], argv, Some(&mut recv), pos);
            if is_place(obj) {
                // (a constant receiver stays as it was)
                let _ = self.with_target(obj, pos, |slot| {
                    *slot = recv;
                    Ok(())
                });
            }
            return r;
        }
        let mut argv = self.eval_args(args, Some(recv))?;
        self.call_method_values(name, &mut argv, pos)
    }

    fn call_method_values(&mut self, name: &str, argv: &mut [Value], pos: Pos) -> R<Value> {
        match self.call_native(name, argv, pos) {
            Some(r) => r,
            None => Err(not_found(name, argv, pos, self.known(name)).into()),
        }
    }

    /// Calls a function value from a built-in (`map`, `filter`...) or the host.
    pub(crate) fn call_value(
        &mut self,
        f: &FnValue,
        args: Vec<Value>,
        pos: Pos,
    ) -> Result<Value, Error> {
        match self.call_fn_value(f, args, pos) {
            Ok(v) | Err(Flow::Return(v)) => Ok(v),
            Err(Flow::Err(e)) => Err(*e),
            Err(Flow::Break(_) | Flow::Continue) => {
                Err(Error::runtime("'break' outside a loop", pos))
            }
        }
    }

    fn call_fn_value(&mut self, f: &FnValue, mut args: Vec<Value>, pos: Pos) -> R<Value> {
        match f {
            FnValue::Closure(c) => {
                if c.def.params.len() != args.len() {
                    return Err(Error::runtime(
                        format!(
                            "the function takes {} arguments, not {}",
                            c.def.params.len(),
                            args.len()
                        ),
                        pos,
                    )
                    .into());
                }
                self.call_def(&c.def, &c.captured, args, None, pos)
            }
            FnValue::Named(name) => {
                if let Some(def) = self.script_fn(name, args.len()) {
                    return self.call_def(&def, &[], args, None, pos);
                }
                match self.call_native(name, &mut args, pos) {
                    Some(r) => r,
                    None => Err(not_found(name, &args, pos, self.known(name)).into()),
                }
            }
        }
    }

    fn call_def(
        &mut self,
        def: &FnDef,
        captured: &[Captured],
        args: Vec<Value>,
        this: Option<&mut Value>,
        pos: Pos,
    ) -> R<Value> {
        let mut this = this;
        if self.depth >= self.env.limits.max_call_levels {
            return Err(Error::new(ErrorKind::StackOverflow, pos).into());
        }
        self.tick(pos)?;
        let mark = self.scope.len();
        let base = self.base;
        for (name, cell, constant) in captured {
            self.scope.push(Var {
                name: name.clone(),
                slot: Slot::Shared(cell.clone()),
                constant: *constant,
            });
        }
        let this_at = self.scope.len();
        let has_this = this.is_some();
        if let Some(t) = this.as_deref_mut() {
            self.push_var("this".into(), std::mem::take(t), false);
        }
        for (p, a) in def.params.iter().zip(args) {
            self.push_var(p.clone(), a, false);
        }
        self.base = mark;
        self.depth += 1;
        let r = self.stmts(&def.body.stmts);
        self.depth -= 1;
        self.base = base;
        if let (true, Some(t)) = (has_this, this) {
            // `this` may have been changed: it goes back to the receiver
            *t = match &mut self.scope[this_at].slot {
                Slot::Own(v) => std::mem::take(v),
                Slot::Shared(c) => c.borrow().clone(),
            };
        }
        self.scope.truncate(mark);
        match r {
            Ok(v) | Err(Flow::Return(v)) => Ok(v),
            Err(Flow::Err(mut e)) => {
                if pos.is_some() {
                    e.calls.insert(0, (def.name.clone(), pos));
                }
                Err(Flow::Err(e))
            }
            Err(Flow::Break(_) | Flow::Continue) => {
                Err(Error::runtime("'break' outside a loop", pos).into())
            }
        }
    }
}

/// The built-ins call back into the interpreter through this (statically: `builtins::call` is
/// generic over it, so there is no dynamic dispatch).
impl builtins::Context for Interp<'_> {
    #[inline]
    fn limits(&self) -> &Limits {
        &self.env.limits
    }

    #[inline]
    fn charge_built(&mut self, n: usize, pos: Pos) -> Result<(), Error> {
        Interp::charge_built(self, n, pos)
    }

    #[inline]
    fn check_child(&mut self, v: &Value, pos: Pos) -> Result<(), Error> {
        Interp::check_child(self, v, pos)
    }

    #[inline]
    fn print(&self, text: &str) {
        if let Some(p) = self.env.on_print {
            p(text);
        }
    }

    #[inline]
    fn call_value(&mut self, f: &FnValue, args: Vec<Value>, pos: Pos) -> Result<Value, Error> {
        Interp::call_value(self, f, args, pos)
    }
}

/// Whether a switch's case pattern matches `v`: a literal of the same type and value (as in
/// Rhai, `1.0` does not match the case `1`), or an integer within the range.
fn case_matches(p: &CasePattern, v: &Value) -> bool {
    match (p, v) {
        (CasePattern::Literal(Expr::Int(a)), Value::Int(b)) => a == b,
        (CasePattern::Literal(Expr::Float(a)), Value::Float(b)) => a == b,
        (CasePattern::Literal(Expr::Str(a)), Value::Str(b)) => a == b,
        (CasePattern::Literal(Expr::Char(a)), Value::Char(b)) => a == b,
        (CasePattern::Literal(Expr::Bool(a)), Value::Bool(b)) => a == b,
        (CasePattern::Range(lo, hi, inclusive), Value::Int(i)) => {
            i >= lo && if *inclusive { i <= hi } else { i < hi }
        }
        _ => false,
    }
}

/// How deeply arrays, maps and closures may hold one another.
pub const MAX_VALUE_DEPTH: usize = 200;

fn holds_values(v: &Value) -> bool {
    matches!(
        v,
        Value::Array(_) | Value::Map(_) | Value::Fn(FnValue::Closure(_))
    )
}

/// True when `v` nests deeper than [`MAX_VALUE_DEPTH`] below `depth` (or the walk ran out of
/// `budget`: the caller then reports too many operations). A closure met again below itself
/// (`fib` stored in the variable it captures, to call itself) is a cycle, not depth: the walk
/// does not enter it twice. `path` holds the closures being walked.
fn too_deep(
    v: &Value,
    depth: usize,
    visited: &mut u64,
    budget: u64,
    path: &mut Vec<*const Closure>,
) -> bool {
    if depth > MAX_VALUE_DEPTH {
        return true;
    }
    if *visited > budget {
        return false;
    }
    match v {
        Value::Array(a) => {
            *visited += a.len() as u64 + 1;
            a.iter()
                .any(|x| holds_values(x) && too_deep(x, depth + 1, visited, budget, path))
        }
        Value::Map(m) => {
            *visited += m.len() as u64 + 1;
            m.values()
                .any(|x| holds_values(x) && too_deep(x, depth + 1, visited, budget, path))
        }
        Value::Fn(FnValue::Closure(c)) => {
            let me = Rc::as_ptr(c);
            if path.contains(&me) {
                return false;
            }
            *visited += c.captured.len() as u64 + 1;
            path.push(me);
            let deep = c.captured.iter().any(|(_, cell, _)| {
                cell.try_borrow()
                    .map(|x| holds_values(&x) && too_deep(&x, depth + 1, visited, budget, path))
                    .unwrap_or(false)
            });
            path.pop();
            deep
        }
        _ => false,
    }
}

fn s_pos(s: &Stmt) -> Pos {
    match s {
        Stmt::Expr(e) => e.pos(),
        Stmt::Let(.., p)
        | Stmt::Assign(.., p)
        | Stmt::While(.., p)
        | Stmt::Loop(.., p)
        | Stmt::Do(.., p)
        | Stmt::For(.., p)
        | Stmt::Break(.., p)
        | Stmt::Continue(p)
        | Stmt::Return(.., p)
        | Stmt::Throw(.., p)
        | Stmt::Try(.., p) => *p,
    }
}

fn is_place(e: &Expr) -> bool {
    match e {
        Expr::Var(..) => true,
        Expr::Prop(x, _, false, _) => is_place(x),
        Expr::Index(p, false, _) => is_place(&p.0),
        _ => false,
    }
}

/// `name is not defined`, or `name (types) is not defined` when a function of that name exists but
/// not for these arguments.
fn not_found(name: &str, args: &[Value], pos: Pos, known: bool) -> Error {
    let sig = if known {
        let types: Vec<&str> = args.iter().map(|a| a.type_name()).collect();
        format!("{name} ({})", types.join(", "))
    } else {
        name.to_string()
    };
    Error::new(ErrorKind::FnNotFound(sig), pos)
}

/// The slot of `key` in a map being assigned into: a missing key is added (as `()`) when it is the
/// last step of the path (`more` false), and is an error when the path goes on through it.
fn map_slot<'a>(
    m: &'a mut super::value::Map,
    key: Rc<str>,
    more: bool,
    pos: Pos,
    limits: &super::limits::Limits,
) -> Result<&'a mut Value, Error> {
    if !m.contains_key(&*key) {
        if more {
            return Err(Error::runtime(format!("property '{key}' not found"), pos));
        }
        if m.len() >= limits.max_map_size {
            return Err(Error::new(ErrorKind::DataTooLarge("map"), pos));
        }
    }
    Ok(m.entry(key).or_insert(Value::Unit))
}

fn navigate<T>(
    v: &mut Value,
    steps: &[Step],
    pos: Pos,
    limits: &super::limits::Limits,
    f: impl FnOnce(&mut Value) -> Result<T, Error>,
) -> Result<T, Error> {
    let Some((first, rest)) = steps.split_first() else {
        return f(v);
    };
    match (v, first) {
        (Value::Map(m), Step::Prop(k)) => {
            let slot = map_slot(Rc::make_mut(m), k.clone(), !rest.is_empty(), pos, limits)?;
            navigate(slot, rest, pos, limits, f)
        }
        (Value::Map(m), Step::Index(Value::Str(k))) => {
            let key: Rc<str> = Rc::from(k.as_str());
            let slot = map_slot(Rc::make_mut(m), key, !rest.is_empty(), pos, limits)?;
            navigate(slot, rest, pos, limits, f)
        }
        (Value::Array(a), Step::Index(Value::Int(i))) => {
            let len = a.len();
            let idx = ops::array_index(*i, len).ok_or_else(|| {
                Error::runtime(format!("array index {i} out of bounds (length {len})"), pos)
            })?;
            let a = Rc::make_mut(a);
            navigate(&mut a[idx], rest, pos, limits, f)
        }
        (Value::Host(h), Step::Prop(k)) => Err(Error::runtime(
            format!("property '{k}' of {} cannot be changed", h.type_name()),
            pos,
        )),
        (v, Step::Prop(k)) => Err(Error::runtime(
            format!("cannot set property '{k}' on {}", v.type_name()),
            pos,
        )),
        (v, Step::Index(i)) => Err(Error::runtime(
            format!(
                "cannot set an element of {} by {}",
                v.type_name(),
                i.type_name()
            ),
            pos,
        )),
    }
}
