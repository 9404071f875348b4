//! Tokens to a [`Program`]: Rhai's grammar and operator precedence, for the subset the language
//! supports. Nesting is limited (a syntax error, never a stack overflow).

use std::collections::HashMap;
use std::rc::Rc;

use super::ast::{BinOp, Block, Case, CasePattern, Expr, FnDef, Program, Stmt, Switch};
use super::error::{Error, ErrorKind};
use super::lexer::{tokenize, Kw, Part, Tok};
use super::pos::Pos;

/// How deeply expressions may nest: at the top level, and inside a function or closure body
/// (as the Rhai engine was configured: `set_max_expr_depths(64, 32)`).
#[derive(Debug, Clone, Copy)]
pub struct DepthLimits {
    /// Top-level code.
    pub global: u32,
    /// Function and closure bodies.
    pub function: u32,
}

impl Default for DepthLimits {
    fn default() -> Self {
        Self {
            global: 64,
            function: 32,
        }
    }
}

/// Parses a whole script.
pub fn parse(src: &str, limits: DepthLimits) -> Result<Program, Error> {
    let toks = tokenize(src)?;
    let mut p = Parser {
        toks,
        i: 0,
        max_depth: limits.global,
        limits,
        level: 0,
        fns: HashMap::new(),
        loops: 0,
    };
    let stmts = p.top_level()?;
    Ok(Program { stmts, fns: p.fns })
}

/// How deeply the parser itself may recurse, across nested closures.
const MAX_LEVEL: u32 = 100;

struct Parser {
    toks: Vec<(Tok, Pos)>,
    i: usize,
    max_depth: u32,
    limits: DepthLimits,
    level: u32,
    fns: HashMap<Rc<str>, Vec<Rc<FnDef>>>,
    loops: u32,
}

type PExpr = Result<(Expr, u32), Error>;

fn binop(t: &Tok) -> Option<(u8, BinOp)> {
    let Tok::Sym(s) = t else {
        return match t {
            Tok::Kw(Kw::In) => Some((110, BinOp::In)),
            _ => None,
        };
    };
    Some(match *s {
        "|" => (30, BinOp::BitOr),
        "^" => (30, BinOp::BitXor),
        "&" => (60, BinOp::BitAnd),
        "==" => (90, BinOp::Eq),
        "!=" => (90, BinOp::Ne),
        "<" => (130, BinOp::Lt),
        "<=" => (130, BinOp::Le),
        ">" => (130, BinOp::Gt),
        ">=" => (130, BinOp::Ge),
        "+" => (150, BinOp::Add),
        "-" => (150, BinOp::Sub),
        "*" => (180, BinOp::Mul),
        "/" => (180, BinOp::Div),
        "%" => (180, BinOp::Rem),
        "**" => (190, BinOp::Pow),
        "<<" => (210, BinOp::Shl),
        ">>" => (210, BinOp::Shr),
        _ => return None,
    })
}

fn assign_op(s: &str) -> Option<Option<BinOp>> {
    Some(match s {
        "=" => None,
        "+=" => Some(BinOp::Add),
        "-=" => Some(BinOp::Sub),
        "*=" => Some(BinOp::Mul),
        "/=" => Some(BinOp::Div),
        "%=" => Some(BinOp::Rem),
        "**=" => Some(BinOp::Pow),
        "<<=" => Some(BinOp::Shl),
        ">>=" => Some(BinOp::Shr),
        "&=" => Some(BinOp::BitAnd),
        "|=" => Some(BinOp::BitOr),
        "^=" => Some(BinOp::BitXor),
        _ => return None,
    })
}

fn describe(t: &Tok) -> String {
    match t {
        Tok::Int(i) => format!("'{i}'"),
        Tok::Float(f) => format!("'{f}'"),
        Tok::Str(_) => "a string".into(),
        Tok::Char(_) => "a character".into(),
        Tok::Interp(_) => "a string".into(),
        Tok::Ident(n) => format!("'{n}'"),
        Tok::Reserved(n) => format!("'{n}'"),
        Tok::Kw(k) => format!("'{}'", format!("{k:?}").to_ascii_lowercase()),
        Tok::Sym(s) => format!("'{s}'"),
        Tok::Eof => "the end of the script".into(),
    }
}

/// True for statements that end with a block and need no `;` after them.
fn ends_with_block(s: &Stmt) -> bool {
    matches!(
        s,
        Stmt::While(..)
            | Stmt::Loop(..)
            | Stmt::For(..)
            | Stmt::Try(..)
            | Stmt::Expr(Expr::If(..))
            | Stmt::Expr(Expr::Switch(..))
            | Stmt::Expr(Expr::Block(..))
    )
}

impl Parser {
    fn peek(&self) -> &Tok {
        &self.toks[self.i.min(self.toks.len() - 1)].0
    }

    fn pos(&self) -> Pos {
        self.toks[self.i.min(self.toks.len() - 1)].1
    }

    /// The current token; moves past it (past the end, `peek` keeps giving [`Tok::Eof`], and a
    /// step back after an `advance` is always possible).
    fn advance(&mut self) -> Tok {
        let t = self.peek().clone();
        self.i = self.i.saturating_add(1);
        t
    }

    fn is_sym(&self, s: &str) -> bool {
        matches!(self.peek(), Tok::Sym(x) if *x == s)
    }

    fn is_kw(&self, k: Kw) -> bool {
        matches!(self.peek(), Tok::Kw(x) if *x == k)
    }

    fn eat_sym(&mut self, s: &str) -> bool {
        if self.is_sym(s) {
            self.advance();
            true
        } else {
            false
        }
    }

    fn unexpected(&self, what: &str) -> Error {
        Error::syntax(
            format!("expected {what}, found {}", describe(self.peek())),
            self.pos(),
        )
    }

    fn expect_sym(&mut self, s: &str) -> Result<(), Error> {
        if self.eat_sym(s) {
            Ok(())
        } else {
            Err(self.unexpected(&format!("'{s}'")))
        }
    }

    fn ident(&mut self) -> Result<Rc<str>, Error> {
        match self.peek().clone() {
            Tok::Ident(n) => {
                self.advance();
                Ok(n)
            }
            Tok::Reserved(n) => Err(Error::syntax(
                format!("'{n}' is a reserved word, not available in handler scripts"),
                self.pos(),
            )),
            _ => Err(self.unexpected("a name")),
        }
    }

    /// Enters one level of parser recursion.
    fn enter(&mut self) -> Result<(), Error> {
        self.level += 1;
        if self.level > MAX_LEVEL {
            return Err(self.too_deep());
        }
        Ok(())
    }

    fn too_deep(&self) -> Error {
        Error::syntax("expression nested too deeply", self.pos())
    }

    /// Checks the depth of a built node.
    fn depth(&self, d: u32) -> Result<u32, Error> {
        if d > self.max_depth {
            Err(self.too_deep())
        } else {
            Ok(d)
        }
    }

    fn top_level(&mut self) -> Result<Vec<Stmt>, Error> {
        let mut stmts = Vec::new();
        loop {
            while self.eat_sym(";") {}
            if matches!(self.peek(), Tok::Eof) {
                return Ok(stmts);
            }
            if self.is_kw(Kw::Fn) {
                self.fn_def()?;
                continue;
            }
            let (s, _) = self.stmt()?;
            let block_like = ends_with_block(&s);
            stmts.push(s);
            if !self.eat_sym(";") && !matches!(self.peek(), Tok::Eof) && !block_like {
                return Err(self.unexpected("';'"));
            }
        }
    }

    fn fn_def(&mut self) -> Result<(), Error> {
        let pos = self.pos();
        self.advance();
        let name = self.ident()?;
        self.expect_sym("(")?;
        let mut params = Vec::new();
        while !self.is_sym(")") {
            params.push(self.ident()?);
            if !self.eat_sym(",") {
                break;
            }
        }
        self.expect_sym(")")?;
        if !self.is_sym("{") {
            return Err(self.unexpected("'{'"));
        }
        let saved = std::mem::replace(&mut self.max_depth, self.limits.function);
        let loops = std::mem::take(&mut self.loops);
        let r = self.block();
        self.max_depth = saved;
        self.loops = loops;
        let (body, _) = r?;
        let same = self.fns.entry(name.clone()).or_default();
        if same.iter().any(|f| f.params.len() == params.len()) {
            return Err(Error::syntax(
                format!(
                    "function '{name}' with {} parameters is already defined",
                    params.len()
                ),
                pos,
            ));
        }
        same.push(Rc::new(FnDef {
            name: Some(name),
            params,
            body,
            captures: Vec::new(),
            pos,
        }));
        Ok(())
    }

    /// A `{ ... }` block and its depth.
    fn block(&mut self) -> Result<(Block, u32), Error> {
        self.enter()?;
        let pos = self.pos();
        self.expect_sym("{")?;
        let mut stmts = Vec::new();
        let mut d = 0;
        loop {
            while self.eat_sym(";") {}
            if self.eat_sym("}") {
                break;
            }
            if self.is_kw(Kw::Fn) {
                return Err(Error::syntax(
                    "a function can only be defined at the top level of the script",
                    self.pos(),
                ));
            }
            let (s, sd) = self.stmt()?;
            d = d.max(sd);
            let block_like = ends_with_block(&s);
            stmts.push(s);
            if self.eat_sym(";") || block_like {
                continue;
            }
            if self.eat_sym("}") {
                break;
            }
            return Err(self.unexpected("';' or '}'"));
        }
        self.level -= 1;
        let d = self.depth(d + 1)?;
        Ok((Block { stmts, pos }, d))
    }

    fn loop_body(&mut self) -> Result<(Block, u32), Error> {
        self.loops += 1;
        let r = self.block();
        self.loops -= 1;
        r
    }

    fn opt_value(&mut self) -> Result<(Option<Expr>, u32), Error> {
        if self.is_sym(";") || self.is_sym("}") || matches!(self.peek(), Tok::Eof) {
            Ok((None, 0))
        } else {
            let (e, d) = self.expr()?;
            Ok((Some(e), d))
        }
    }

    fn stmt(&mut self) -> Result<(Stmt, u32), Error> {
        let pos = self.pos();
        let (s, d) = match self.peek().clone() {
            Tok::Kw(k @ (Kw::Let | Kw::Const)) => {
                self.advance();
                let name = self.ident()?;
                let (value, d) = if self.eat_sym("=") {
                    let (e, d) = self.expr()?;
                    (Some(e), d)
                } else if k == Kw::Const {
                    return Err(self.unexpected("'=' (a constant needs a value)"));
                } else {
                    (None, 0)
                };
                (Stmt::Let(name, value, k == Kw::Const, pos), d)
            }
            Tok::Kw(Kw::While) => {
                self.advance();
                let (c, cd) = self.expr()?;
                let (b, bd) = self.loop_body()?;
                (Stmt::While(c, b, pos), cd.max(bd))
            }
            Tok::Kw(Kw::Loop) => {
                self.advance();
                let (b, bd) = self.loop_body()?;
                (Stmt::Loop(b, pos), bd)
            }
            Tok::Kw(Kw::Do) => {
                self.advance();
                let (b, bd) = self.loop_body()?;
                let until = match self.peek() {
                    Tok::Kw(Kw::While) => false,
                    Tok::Kw(Kw::Until) => true,
                    _ => return Err(self.unexpected("'while' or 'until'")),
                };
                self.advance();
                let (c, cd) = self.expr()?;
                (Stmt::Do(b, c, until, pos), cd.max(bd))
            }
            Tok::Kw(Kw::For) => {
                self.advance();
                let (name, index) = if self.eat_sym("(") {
                    let a = self.ident()?;
                    self.expect_sym(",")?;
                    let b = self.ident()?;
                    self.expect_sym(")")?;
                    (a, Some(b))
                } else {
                    (self.ident()?, None)
                };
                if !self.is_kw(Kw::In) {
                    return Err(self.unexpected("'in'"));
                }
                self.advance();
                let (e, ed) = self.expr()?;
                let (b, bd) = self.loop_body()?;
                (Stmt::For(name, index, e, b, pos), ed.max(bd))
            }
            Tok::Kw(Kw::Break) => {
                if self.loops == 0 {
                    return Err(Error::syntax("'break' outside a loop", pos));
                }
                self.advance();
                let (v, d) = self.opt_value()?;
                (Stmt::Break(v, pos), d)
            }
            Tok::Kw(Kw::Continue) => {
                if self.loops == 0 {
                    return Err(Error::syntax("'continue' outside a loop", pos));
                }
                self.advance();
                (Stmt::Continue(pos), 0)
            }
            Tok::Kw(Kw::Return) => {
                self.advance();
                let (v, d) = self.opt_value()?;
                (Stmt::Return(v, pos), d)
            }
            Tok::Kw(Kw::Throw) => {
                self.advance();
                let (v, d) = self.opt_value()?;
                (Stmt::Throw(v, pos), d)
            }
            Tok::Kw(Kw::Try) => {
                self.advance();
                let (b, bd) = self.block()?;
                if !self.is_kw(Kw::Catch) {
                    return Err(self.unexpected("'catch'"));
                }
                self.advance();
                let var = if self.eat_sym("(") {
                    let v = self.ident()?;
                    self.expect_sym(")")?;
                    Some(v)
                } else {
                    None
                };
                let (c, cd) = self.block()?;
                (Stmt::Try(b, var, c, pos), bd.max(cd))
            }
            Tok::Kw(Kw::Import) => {
                self.advance();
                return Err(match self.peek() {
                    Tok::Str(m) => Error::new(ErrorKind::Import(m.to_string()), pos),
                    _ => Error::syntax("expected a module name after 'import'", pos),
                });
            }
            _ => {
                let (e, ed) = self.expr()?;
                let op = match self.peek() {
                    Tok::Sym(s) => assign_op(s),
                    _ => None,
                };
                match op {
                    Some(op) => {
                        let apos = self.pos();
                        if !is_lvalue(&e) {
                            return Err(Error::syntax(
                                "only a variable, a property or an indexed element can be assigned to",
                                apos,
                            ));
                        }
                        self.advance();
                        let (v, vd) = self.expr()?;
                        (Stmt::Assign(e, op, v, apos), ed.max(vd))
                    }
                    None => (Stmt::Expr(e), ed),
                }
            }
        };
        let d = self.depth(d + 1)?;
        Ok((s, d))
    }

    /// An expression and its depth.
    fn expr(&mut self) -> PExpr {
        self.enter()?;
        let r = self.binary(0);
        self.level -= 1;
        r
    }

    fn binary(&mut self, min: u8) -> PExpr {
        let (mut lhs, mut d) = self.unary()?;
        loop {
            let t = self.peek().clone();
            let pos = self.pos();
            // `??`, ranges, `||`, `&&` are handled here; the rest by the table (Rhai's precedence)
            let (prec, right) = match &t {
                Tok::Sym("??") => (135, false),
                Tok::Sym("..") | Tok::Sym("..=") => (140, false),
                Tok::Sym("||") => (30, false),
                Tok::Sym("&&") => (60, false),
                other => match binop(other) {
                    Some((p, op)) => (p, op == BinOp::Pow),
                    None => break,
                },
            };
            if prec < min {
                break;
            }
            self.advance();
            self.enter()?;
            let r = self.binary(if right { prec } else { prec + 1 });
            self.level -= 1;
            let (rhs, rd) = r?;
            d = self.depth(d.max(rd) + 1)?;
            let pair = Box::new((lhs, rhs));
            lhs = match t {
                Tok::Sym("??") => Expr::Coalesce(pair, pos),
                Tok::Sym("..") => Expr::Range(pair, false, pos),
                Tok::Sym("..=") => Expr::Range(pair, true, pos),
                Tok::Sym("||") => Expr::Or(pair, pos),
                Tok::Sym("&&") => Expr::And(pair, pos),
                other => match binop(&other) {
                    Some((_, op)) => Expr::Binary(op, pair, pos),
                    None => return Err(Error::syntax("unexpected operator", pos)),
                },
            };
        }
        Ok((lhs, d))
    }

    fn unary(&mut self) -> PExpr {
        let pos = self.pos();
        let op = match self.peek() {
            Tok::Sym("-") => Some(true),
            Tok::Sym("!") => Some(false),
            Tok::Sym("+") => None,
            _ => return self.postfix(),
        };
        self.advance();
        self.enter()?;
        let r = self.unary();
        self.level -= 1;
        let (e, d) = r?;
        let d = self.depth(d + 1)?;
        Ok(match (op, e) {
            (Some(true), Expr::Int(i)) if i != i64::MIN => (Expr::Int(-i), d),
            (Some(true), Expr::Float(f)) => (Expr::Float(-f), d),
            (Some(true), e) => (Expr::Neg(Box::new(e), pos), d),
            (Some(false), e) => (Expr::Not(Box::new(e), pos), d),
            (None, e) => (e, d),
        })
    }

    fn args(&mut self) -> Result<(Vec<Expr>, u32), Error> {
        self.expect_sym("(")?;
        let mut args = Vec::new();
        let mut d = 0;
        while !self.is_sym(")") {
            let (e, ed) = self.expr()?;
            d = d.max(ed);
            args.push(e);
            if !self.eat_sym(",") {
                break;
            }
        }
        self.expect_sym(")")?;
        Ok((args, d))
    }

    fn postfix(&mut self) -> PExpr {
        let (mut e, mut d) = self.primary()?;
        loop {
            let pos = self.pos();
            let safe = match self.peek() {
                Tok::Sym(".") => false,
                Tok::Sym("?.") => true,
                Tok::Sym("[") | Tok::Sym("?[") => {
                    let safe = self.is_sym("?[");
                    self.advance();
                    let (i, id) = self.expr()?;
                    self.expect_sym("]")?;
                    d = self.depth(d.max(id) + 1)?;
                    e = Expr::Index(Box::new((e, i)), safe, pos);
                    continue;
                }
                _ => break,
            };
            self.advance();
            let name = self.ident()?;
            if self.is_sym("(") {
                let (args, ad) = self.args()?;
                d = self.depth(d.max(ad) + 1)?;
                e = Expr::Method(Box::new(e), name, args, safe, pos);
            } else {
                d = self.depth(d + 1)?;
                e = Expr::Prop(Box::new(e), name, safe, pos);
            }
        }
        Ok((e, d))
    }

    fn primary(&mut self) -> PExpr {
        let pos = self.pos();
        let t = self.advance();
        let e = match t {
            Tok::Int(i) => Expr::Int(i),
            Tok::Float(f) => Expr::Float(f),
            Tok::Str(s) => Expr::Str(Rc::new(s.to_string())),
            Tok::Char(c) => Expr::Char(c),
            Tok::Interp(parts) => return self.interpolated(&parts, pos),
            Tok::Kw(Kw::True) => Expr::Bool(true),
            Tok::Kw(Kw::False) => Expr::Bool(false),
            Tok::Ident(n) => {
                if self.is_sym("(") {
                    let (args, d) = self.args()?;
                    let d = self.depth(d + 1)?;
                    return Ok((Expr::Call(n, args, pos), d));
                }
                Expr::Var(n, pos)
            }
            Tok::Sym("(") => {
                if self.eat_sym(")") {
                    Expr::Unit
                } else {
                    let (e, d) = self.expr()?;
                    self.expect_sym(")")?;
                    return Ok((e, d));
                }
            }
            Tok::Sym("[") => return self.array_lit(pos),
            Tok::Sym("#{") => return self.map_lit(pos),
            Tok::Sym("|") => return self.closure_params(pos),
            Tok::Sym("||") => return self.closure(Vec::new(), pos),
            Tok::Sym("{") => {
                self.i -= 1;
                let (b, d) = self.block()?;
                return Ok((Expr::Block(Box::new(b)), d));
            }
            Tok::Kw(Kw::If) => {
                self.i -= 1;
                return self.if_expr();
            }
            Tok::Kw(Kw::Switch) => {
                self.i -= 1;
                return self.switch_expr();
            }
            Tok::Reserved(n) => {
                self.i -= 1;
                return Err(Error::syntax(
                    format!("'{n}' is a reserved word, not available in handler scripts"),
                    pos,
                ));
            }
            Tok::Kw(Kw::Fn) => {
                self.i -= 1;
                return Err(Error::syntax(
                    "a function can only be defined at the top level of the script",
                    pos,
                ));
            }
            _ => {
                self.i -= 1;
                return Err(self.unexpected("an expression"));
            }
        };
        Ok((e, 1))
    }

    #[inline(never)]
    fn array_lit(&mut self, pos: Pos) -> PExpr {
        let mut items = Vec::new();
        let mut d = 0;
        while !self.is_sym("]") {
            let (e, ed) = self.expr()?;
            d = d.max(ed);
            items.push(e);
            if !self.eat_sym(",") {
                break;
            }
        }
        self.expect_sym("]")?;
        let d = self.depth(d + 1)?;
        Ok((Expr::Array(items, pos), d))
    }

    #[inline(never)]
    fn map_lit(&mut self, pos: Pos) -> PExpr {
        let mut items: Vec<(Rc<str>, Expr)> = Vec::new();
        let mut d = 0;
        while !self.is_sym("}") {
            let kpos = self.pos();
            let key = match self.advance() {
                Tok::Ident(n) | Tok::Str(n) | Tok::Reserved(n) => n,
                _ => {
                    self.i -= 1;
                    return Err(self.unexpected("a property name"));
                }
            };
            if items.iter().any(|(k, _)| *k == key) {
                return Err(Error::syntax(
                    format!("property '{key}' is defined twice"),
                    kpos,
                ));
            }
            self.expect_sym(":")?;
            let (e, ed) = self.expr()?;
            d = d.max(ed);
            items.push((key, e));
            if !self.eat_sym(",") {
                break;
            }
        }
        self.expect_sym("}")?;
        let d = self.depth(d + 1)?;
        Ok((Expr::Map(items, pos), d))
    }

    #[inline(never)]
    fn closure_params(&mut self, pos: Pos) -> PExpr {
        let mut params = Vec::new();
        while !self.is_sym("|") {
            params.push(self.ident()?);
            if !self.eat_sym(",") {
                break;
            }
        }
        self.expect_sym("|")?;
        self.closure(params, pos)
    }

    #[inline(never)]
    fn interpolated(&mut self, parts: &[Part], pos: Pos) -> PExpr {
        let mut out = Vec::new();
        let mut d = 0;
        for p in parts {
            match p {
                Part::Text(t) => out.push(Expr::Str(Rc::new(t.clone()))),
                Part::Code(toks) => {
                    let mut sub = Parser {
                        toks: toks.clone(),
                        i: 0,
                        max_depth: self.max_depth,
                        limits: self.limits,
                        level: self.level + 1,
                        fns: HashMap::new(),
                        loops: 0,
                    };
                    let (e, ed) = sub.expr()?;
                    if !matches!(sub.peek(), Tok::Eof) {
                        return Err(sub.unexpected("'}'"));
                    }
                    d = d.max(ed);
                    out.push(e);
                }
            }
        }
        let d = self.depth(d + 1)?;
        Ok((Expr::Interp(out, pos), d))
    }

    fn if_expr(&mut self) -> PExpr {
        let pos = self.pos();
        self.advance();
        let (c, cd) = self.expr()?;
        let (then, td) = self.block()?;
        let mut d = cd.max(td);
        let els = if self.is_kw(Kw::Else) {
            self.advance();
            if self.is_kw(Kw::If) {
                self.enter()?;
                let r = self.if_expr();
                self.level -= 1;
                let (e, ed) = r?;
                d = d.max(ed);
                Some(e)
            } else {
                let (b, bd) = self.block()?;
                d = d.max(bd);
                Some(Expr::Block(Box::new(b)))
            }
        } else {
            None
        };
        let d = self.depth(d + 1)?;
        Ok((Expr::If(Box::new((c, then, els)), pos), d))
    }

    /// `switch value { 1 | 2 => a, 3..5 if c => { b }, "x" => c, _ => d }`: case patterns are
    /// literals or integer ranges, as in Rhai; `_` (the default) comes last and has no condition.
    #[inline(never)]
    fn switch_expr(&mut self) -> PExpr {
        let pos = self.pos();
        self.advance();
        let (value, mut d) = self.expr()?;
        self.expect_sym("{")?;
        let mut cases = Vec::new();
        let mut default = None;
        while !self.is_sym("}") {
            if default.is_some() {
                return Err(Error::syntax(
                    "the default case '_' must be the last case of a switch",
                    self.pos(),
                ));
            }
            let is_default = matches!(self.peek(), Tok::Ident(n) if &**n == "_");
            let mut patterns = Vec::new();
            if is_default {
                self.advance();
            } else {
                loop {
                    patterns.push(self.case_pattern()?);
                    if !self.eat_sym("|") {
                        break;
                    }
                }
            }
            let cond = if self.is_kw(Kw::If) {
                if is_default {
                    return Err(Error::syntax(
                        "the default case '_' of a switch cannot have a condition",
                        self.pos(),
                    ));
                }
                self.advance();
                let (c, cd) = self.expr()?;
                d = d.max(cd);
                Some(c)
            } else {
                None
            };
            self.expect_sym("=>")?;
            let block = self.is_sym("{");
            let (body, bd) = if block {
                let (b, bd) = self.block()?;
                (Expr::Block(Box::new(b)), bd)
            } else {
                self.expr()?
            };
            d = d.max(bd);
            if is_default {
                default = Some(body);
            } else {
                cases.push(Case {
                    patterns,
                    cond,
                    body,
                });
            }
            if !self.eat_sym(",") && !block && !self.is_sym("}") {
                return Err(self.unexpected("',' or '}'"));
            }
        }
        self.expect_sym("}")?;
        let d = self.depth(d + 1)?;
        let switch = Switch {
            value,
            cases,
            default,
        };
        Ok((Expr::Switch(Box::new(switch), pos), d))
    }

    /// A case pattern: a literal, or an integer range `a..b` / `a..=b`.
    fn case_pattern(&mut self) -> Result<CasePattern, Error> {
        let pos = self.pos();
        let first = self.case_literal()?;
        let inclusive = if self.eat_sym("..=") {
            true
        } else if self.eat_sym("..") {
            false
        } else {
            return Ok(CasePattern::Literal(first));
        };
        match (first, self.case_literal()?) {
            (Expr::Int(a), Expr::Int(b)) => Ok(CasePattern::Range(a, b, inclusive)),
            _ => Err(Error::syntax(
                "a range case of a switch needs whole numbers, e.g. 1..10",
                pos,
            )),
        }
    }

    /// A literal case value: a number (maybe negative), a string, a character, `true`, `false`.
    fn case_literal(&mut self) -> Result<Expr, Error> {
        let negative = self.eat_sym("-");
        let e = match self.peek().clone() {
            Tok::Int(i) => Expr::Int(if negative { i.wrapping_neg() } else { i }),
            Tok::Float(f) => Expr::Float(if negative { -f } else { f }),
            Tok::Str(s) if !negative => Expr::Str(Rc::new(s.to_string())),
            Tok::Char(c) if !negative => Expr::Char(c),
            Tok::Kw(Kw::True) if !negative => Expr::Bool(true),
            Tok::Kw(Kw::False) if !negative => Expr::Bool(false),
            _ => {
                return Err(self.unexpected(
                    "a case value (a number, a string, a character, true, false or '_')",
                ))
            }
        };
        self.advance();
        Ok(e)
    }

    fn closure(&mut self, params: Vec<Rc<str>>, pos: Pos) -> PExpr {
        let saved = std::mem::replace(&mut self.max_depth, self.limits.function);
        let loops = std::mem::take(&mut self.loops);
        let r = if self.is_sym("{") {
            self.block().map(|(b, _)| b)
        } else {
            self.expr().map(|(e, _)| Block {
                stmts: vec![Stmt::Expr(e)],
                pos,
            })
        };
        self.max_depth = saved;
        self.loops = loops;
        let body = r?;
        let mut captures = Vec::new();
        free_vars_block(&body, &mut captures);
        captures.retain(|n| !params.contains(n));
        Ok((
            Expr::Closure(
                Rc::new(FnDef {
                    name: None,
                    params,
                    body,
                    captures,
                    pos,
                }),
                pos,
            ),
            1,
        ))
    }
}

fn is_lvalue(e: &Expr) -> bool {
    match e {
        Expr::Var(..) => true,
        Expr::Prop(inner, _, false, _) => is_lvalue(inner),
        Expr::Index(pair, false, _) => is_lvalue(&pair.0),
        _ => false,
    }
}

fn add_name(out: &mut Vec<Rc<str>>, n: &Rc<str>) {
    if !out.iter().any(|x| x == n) {
        out.push(n.clone());
    }
}

/// The variable names a block refers to (a closure captures those its scope defines).
fn free_vars_block(b: &Block, out: &mut Vec<Rc<str>>) {
    for s in &b.stmts {
        match s {
            Stmt::Let(_, e, _, _) | Stmt::Break(e, _) | Stmt::Return(e, _) | Stmt::Throw(e, _) => {
                if let Some(e) = e {
                    free_vars(e, out);
                }
            }
            Stmt::Expr(e) => free_vars(e, out),
            Stmt::Assign(t, _, v, _) => {
                free_vars(t, out);
                free_vars(v, out);
            }
            Stmt::While(c, b, _) | Stmt::Do(b, c, _, _) | Stmt::For(_, _, c, b, _) => {
                free_vars(c, out);
                free_vars_block(b, out);
            }
            Stmt::Loop(b, _) => free_vars_block(b, out),
            Stmt::Continue(_) => {}
            Stmt::Try(a, _, c, _) => {
                free_vars_block(a, out);
                free_vars_block(c, out);
            }
        }
    }
}

fn free_vars(e: &Expr, out: &mut Vec<Rc<str>>) {
    match e {
        Expr::Var(n, _) => add_name(out, n),
        Expr::Array(items, _) | Expr::Call(_, items, _) | Expr::Interp(items, _) => {
            for x in items {
                free_vars(x, out);
            }
        }
        Expr::Map(items, _) => {
            for (_, x) in items {
                free_vars(x, out);
            }
        }
        Expr::Neg(x, _) | Expr::Not(x, _) | Expr::Prop(x, _, _, _) => free_vars(x, out),
        Expr::Binary(_, p, _)
        | Expr::And(p, _)
        | Expr::Or(p, _)
        | Expr::Coalesce(p, _)
        | Expr::Range(p, _, _)
        | Expr::Index(p, _, _) => {
            free_vars(&p.0, out);
            free_vars(&p.1, out);
        }
        Expr::Method(x, _, args, _, _) => {
            free_vars(x, out);
            for a in args {
                free_vars(a, out);
            }
        }
        Expr::Closure(f, _) => {
            for n in &f.captures {
                add_name(out, n);
            }
        }
        Expr::Block(b) => free_vars_block(b, out),
        Expr::If(x, _) => {
            free_vars(&x.0, out);
            free_vars_block(&x.1, out);
            if let Some(e) = &x.2 {
                free_vars(e, out);
            }
        }
        Expr::Switch(x, _) => {
            free_vars(&x.value, out);
            for c in &x.cases {
                if let Some(e) = &c.cond {
                    free_vars(e, out);
                }
                free_vars(&c.body, out);
            }
            if let Some(e) = &x.default {
                free_vars(e, out);
            }
        }
        Expr::Unit
        | Expr::Bool(_)
        | Expr::Int(_)
        | Expr::Float(_)
        | Expr::Char(_)
        | Expr::Str(_) => {}
    }
}
