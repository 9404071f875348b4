//! The syntax tree the parser builds and the interpreter walks.

use std::collections::HashMap;
use std::rc::Rc;

use super::pos::Pos;

/// A binary operator (`&&`, `||` and `??` short-circuit and have their own nodes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
    /// `%`
    Rem,
    /// `**`
    Pow,
    /// `<<`
    Shl,
    /// `>>`
    Shr,
    /// `&`
    BitAnd,
    /// `|`
    BitOr,
    /// `^`
    BitXor,
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `in`
    In,
}

impl BinOp {
    /// The operator as written.
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::Rem => "%",
            BinOp::Pow => "**",
            BinOp::Shl => "<<",
            BinOp::Shr => ">>",
            BinOp::BitAnd => "&",
            BinOp::BitOr => "|",
            BinOp::BitXor => "^",
            BinOp::Eq => "==",
            BinOp::Ne => "!=",
            BinOp::Lt => "<",
            BinOp::Le => "<=",
            BinOp::Gt => ">",
            BinOp::Ge => ">=",
            BinOp::In => "in",
        }
    }
}

/// An expression.
#[derive(Debug, Clone)]
pub enum Expr {
    /// `()`
    Unit,
    /// `true` / `false`
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A float.
    Float(f64),
    /// A character.
    Char(char),
    /// A string.
    Str(Rc<String>),
    /// A back-quoted string: its parts joined as text.
    Interp(Vec<Expr>, Pos),
    /// A variable.
    Var(Rc<str>, Pos),
    /// `[a, b]`
    Array(Vec<Expr>, Pos),
    /// `#{a: 1, "b": 2}`
    Map(Vec<(Rc<str>, Expr)>, Pos),
    /// `-x`, `+x`
    Neg(Box<Expr>, Pos),
    /// `!x`
    Not(Box<Expr>, Pos),
    /// `a op b`
    Binary(BinOp, Box<(Expr, Expr)>, Pos),
    /// `a && b`
    And(Box<(Expr, Expr)>, Pos),
    /// `a || b`
    Or(Box<(Expr, Expr)>, Pos),
    /// `a ?? b`
    Coalesce(Box<(Expr, Expr)>, Pos),
    /// `a..b` (false) or `a..=b` (true)
    Range(Box<(Expr, Expr)>, bool, Pos),
    /// `x.name`; `true` for `x?.name`.
    Prop(Box<Expr>, Rc<str>, bool, Pos),
    /// `x[i]`; `true` for `x?[i]`.
    Index(Box<(Expr, Expr)>, bool, Pos),
    /// `f(args)`
    Call(Rc<str>, Vec<Expr>, Pos),
    /// `x.f(args)`; `true` for `x?.f(args)`.
    Method(Box<Expr>, Rc<str>, Vec<Expr>, bool, Pos),
    /// `|a, b| body`
    Closure(Rc<FnDef>, Pos),
    /// `{ ... }`
    Block(Box<Block>),
    /// `if c { } else ...`: the else branch is a block or another `if`.
    If(Box<(Expr, Block, Option<Expr>)>, Pos),
    /// `switch value { case => body, ..., _ => default }`.
    Switch(Box<Switch>, Pos),
}

/// A `switch` expression: the first case whose pattern equals the value (and whose condition
/// holds) gives the result; then the default case `_`; else `()`.
#[derive(Debug, Clone)]
pub struct Switch {
    /// The value switched on.
    pub value: Expr,
    /// The cases, in order.
    pub cases: Vec<Case>,
    /// The body of `_ => ...`.
    pub default: Option<Expr>,
}

/// One case of a `switch`: `1 | 2 if cond => body`.
#[derive(Debug, Clone)]
pub struct Case {
    /// What it matches (any of them).
    pub patterns: Vec<CasePattern>,
    /// `if cond`, checked after a pattern matched.
    pub cond: Option<Expr>,
    /// The result.
    pub body: Expr,
}

/// A case pattern: a literal, or a range of integers.
#[derive(Debug, Clone)]
pub enum CasePattern {
    /// A literal (number, string, character, boolean): equal value of the same type.
    Literal(Expr),
    /// `a..b` (false) or `a..=b` (true): an integer in the range.
    Range(i64, i64, bool),
}

impl Expr {
    /// The position of the expression (where its evaluation errors are reported).
    pub fn pos(&self) -> Pos {
        match self {
            Expr::Var(_, p)
            | Expr::Interp(_, p)
            | Expr::Array(_, p)
            | Expr::Map(_, p)
            | Expr::Neg(_, p)
            | Expr::Not(_, p)
            | Expr::Binary(_, _, p)
            | Expr::And(_, p)
            | Expr::Or(_, p)
            | Expr::Coalesce(_, p)
            | Expr::Range(_, _, p)
            | Expr::Prop(_, _, _, p)
            | Expr::Index(_, _, p)
            | Expr::Call(_, _, p)
            | Expr::Method(_, _, _, _, p)
            | Expr::Closure(_, p)
            | Expr::If(_, p)
            | Expr::Switch(_, p) => *p,
            Expr::Block(b) => b.pos,
            _ => Pos::NONE,
        }
    }
}

/// A statement.
#[derive(Debug, Clone)]
pub enum Stmt {
    /// `let x = e;` / `const X = e;` (`true` for a constant).
    Let(Rc<str>, Option<Expr>, bool, Pos),
    /// An expression (its value is the block's value when it is the last statement).
    Expr(Expr),
    /// `target = e;` or `target op= e;`.
    Assign(Expr, Option<BinOp>, Expr, Pos),
    /// `while c { }`
    While(Expr, Block, Pos),
    /// `loop { }`
    Loop(Block, Pos),
    /// `do { } while c;` (false) / `do { } until c;` (true)
    Do(Block, Expr, bool, Pos),
    /// `for x in e { }` / `for (x, i) in e { }`
    For(Rc<str>, Option<Rc<str>>, Expr, Block, Pos),
    /// `break` / `break value`
    Break(Option<Expr>, Pos),
    /// `continue`
    Continue(Pos),
    /// `return` / `return value`
    Return(Option<Expr>, Pos),
    /// `throw` / `throw value`
    Throw(Option<Expr>, Pos),
    /// `try { } catch (e) { }`
    Try(Block, Option<Rc<str>>, Block, Pos),
}

/// A `{ ... }` block.
#[derive(Debug, Clone, Default)]
pub struct Block {
    /// Its statements.
    pub stmts: Vec<Stmt>,
    /// Where it starts.
    pub pos: Pos,
}

/// A function: a `fn` definition or a closure.
#[derive(Debug, Clone)]
pub struct FnDef {
    /// The name (`None` for a closure).
    pub name: Option<Rc<str>>,
    /// Parameter names.
    pub params: Vec<Rc<str>>,
    /// The body.
    pub body: Block,
    /// For a closure, the outer variables its body names (captured when the closure is made).
    pub captures: Vec<Rc<str>>,
    /// Where it is defined.
    pub pos: Pos,
}

/// A parsed script: top-level statements and the `fn` definitions, by name and arity.
#[derive(Debug, Default)]
pub struct Program {
    /// Top-level statements (the Init phase of a handler script).
    pub stmts: Vec<Stmt>,
    /// `fn` definitions by name (one per number of parameters), callable from anywhere in the
    /// script.
    pub fns: HashMap<Rc<str>, Vec<Rc<FnDef>>>,
}
