//! Source text to tokens, each with its line and column.

use std::collections::HashMap;
use std::rc::Rc;

use super::error::Error;
use super::pos::Pos;

/// A token.
#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    /// An integer literal.
    Int(i64),
    /// A floating-point literal.
    Float(f64),
    /// A string literal (escapes resolved).
    Str(Rc<str>),
    /// A character literal `'x'`.
    Char(char),
    /// A back-quoted string: text and `${...}` expressions, in order.
    Interp(Rc<Vec<Part>>),
    /// An identifier.
    Ident(Rc<str>),
    /// A keyword.
    Kw(Kw),
    /// A reserved word the language does not support (`switch`, `export`, ...).
    Reserved(Rc<str>),
    /// Punctuation or an operator, as written (`+=`, `#{`, `..=`).
    Sym(&'static str),
    /// End of the source.
    Eof,
}

/// A piece of a back-quoted string.
#[derive(Debug, Clone, PartialEq)]
pub enum Part {
    /// Literal text.
    Text(String),
    /// The tokens of a `${...}` expression (ending with [`Tok::Eof`]).
    Code(Vec<(Tok, Pos)>),
}

/// How deeply back-quoted strings may nest inside one another's `${...}`.
const MAX_INTERPOLATION_DEPTH: u32 = 8;

/// Keywords.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kw {
    /// `let`
    Let,
    /// `const`
    Const,
    /// `if`
    If,
    /// `else`
    Else,
    /// `while`
    While,
    /// `loop`
    Loop,
    /// `do`
    Do,
    /// `until`
    Until,
    /// `for`
    For,
    /// `in`
    In,
    /// `break`
    Break,
    /// `continue`
    Continue,
    /// `return`
    Return,
    /// `throw`
    Throw,
    /// `try`
    Try,
    /// `catch`
    Catch,
    /// `fn`
    Fn,
    /// `true`
    True,
    /// `false`
    False,
    /// `import` (modules are not available: a clear error)
    Import,
    /// `switch`
    Switch,
}

fn keyword(s: &str) -> Option<Kw> {
    Some(match s {
        "let" => Kw::Let,
        "const" => Kw::Const,
        "if" => Kw::If,
        "else" => Kw::Else,
        "while" => Kw::While,
        "loop" => Kw::Loop,
        "do" => Kw::Do,
        "until" => Kw::Until,
        "for" => Kw::For,
        "in" => Kw::In,
        "break" => Kw::Break,
        "continue" => Kw::Continue,
        "return" => Kw::Return,
        "throw" => Kw::Throw,
        "try" => Kw::Try,
        "catch" => Kw::Catch,
        "fn" => Kw::Fn,
        "true" => Kw::True,
        "false" => Kw::False,
        "import" => Kw::Import,
        "switch" => Kw::Switch,
        _ => return None,
    })
}

/// Rhai keywords and reserved words this language does not support.
fn reserved(s: &str) -> bool {
    matches!(
        s,
        "export"
            | "as"
            | "private"
            | "global"
            | "var"
            | "static"
            | "shared"
            | "goto"
            | "match"
            | "case"
            | "public"
            | "protected"
            | "new"
            | "use"
            | "with"
            | "module"
            | "package"
            | "super"
            | "spawn"
            | "thread"
            | "go"
            | "sync"
            | "async"
            | "await"
            | "yield"
            | "default"
            | "void"
            | "null"
            | "nil"
    )
}

/// Operators and punctuation, longest first (so `..=` wins over `..`).
const SYMBOLS: &[&str] = &[
    "<<=", ">>=", "**=", "..=", "#{", "?.", "?[", "??", "==", "!=", "<=", ">=", "&&", "||", "+=",
    "-=", "*=", "/=", "%=", "&=", "|=", "^=", "<<", ">>", "**", "..", "::", "=>", "->", "(", ")",
    "{", "}", "[", "]", ",", ";", ":", ".", "+", "-", "*", "/", "%", "=", "<", ">", "!", "&", "|",
    "^", "?", "@", "$", "~",
];

/// Splits `src` into tokens; the last one is [`Tok::Eof`].
pub fn tokenize(src: &str) -> Result<Vec<(Tok, Pos)>, Error> {
    Lexer {
        chars: src.chars().collect(),
        i: 0,
        line: 1,
        col: 1,
        names: HashMap::new(),
    }
    .run()
}

struct Lexer {
    chars: Vec<char>,
    i: usize,
    line: u32,
    col: u32,
    names: HashMap<String, Rc<str>>,
}

impl Lexer {
    fn peek(&self, k: usize) -> Option<char> {
        self.chars.get(self.i + k).copied()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.chars.get(self.i).copied()?;
        self.i += 1;
        if c == '\n' {
            self.line = self.line.saturating_add(1);
            self.col = 1;
        } else {
            self.col = self.col.saturating_add(1);
        }
        Some(c)
    }

    fn pos(&self) -> Pos {
        Pos {
            line: self.line,
            col: self.col,
        }
    }

    fn run(mut self) -> Result<Vec<(Tok, Pos)>, Error> {
        let mut out = Vec::new();
        loop {
            let (tok, pos) = self.token(0)?;
            let end = tok == Tok::Eof;
            out.push((tok, pos));
            if end {
                return Ok(out);
            }
        }
    }

    /// The next token; `depth` is how many back-quoted strings it is inside.
    fn token(&mut self, depth: u32) -> Result<(Tok, Pos), Error> {
        self.skip_space_and_comments()?;
        let pos = self.pos();
        let Some(c) = self.peek(0) else {
            return Ok((Tok::Eof, pos));
        };
        let tok = if c.is_ascii_digit() {
            self.number(pos)?
        } else if c.is_ascii_alphabetic() || c == '_' {
            let mut s = String::new();
            while let Some(c) = self.peek(0) {
                if c.is_ascii_alphanumeric() || c == '_' {
                    s.push(c);
                    self.bump();
                } else {
                    break;
                }
            }
            match keyword(&s) {
                Some(k) => Tok::Kw(k),
                None if reserved(&s) => Tok::Reserved(self.intern(s)),
                None => Tok::Ident(self.intern(s)),
            }
        } else if c == '"' {
            self.bump();
            Tok::Str(self.string(pos)?.into())
        } else if c == '\'' {
            self.bump();
            self.char_lit(pos)?
        } else if c == '`' {
            self.bump();
            self.backtick(pos, depth)?
        } else {
            let sym = SYMBOLS.iter().find(|s| {
                s.chars()
                    .enumerate()
                    .all(|(k, sc)| self.peek(k) == Some(sc))
            });
            match sym {
                Some(s) => {
                    for _ in 0..s.chars().count() {
                        self.bump();
                    }
                    Tok::Sym(s)
                }
                None => return Err(Error::syntax(format!("unexpected character '{c}'"), pos)),
            }
        };
        Ok((tok, pos))
    }

    /// A back-quoted string after its opening quote: no escapes (a doubled back-quote is one), a
    /// line break right after the opening quote skipped, `${expr}` interpolated (as in Rhai).
    fn backtick(&mut self, pos: Pos, depth: u32) -> Result<Tok, Error> {
        if depth >= MAX_INTERPOLATION_DEPTH {
            return Err(Error::syntax("string interpolation nested too deeply", pos));
        }
        if self.peek(0) == Some('\r') && self.peek(1) == Some('\n') {
            self.bump();
        }
        if self.peek(0) == Some('\n') {
            self.bump();
        }
        let mut parts = Vec::new();
        let mut text = String::new();
        loop {
            match self.bump() {
                None => return Err(Error::syntax("unterminated string", pos)),
                Some('`') if self.peek(0) == Some('`') => {
                    self.bump();
                    text.push('`');
                }
                Some('`') => break,
                Some('$') if self.peek(0) == Some('{') => {
                    self.bump();
                    if !text.is_empty() {
                        parts.push(Part::Text(std::mem::take(&mut text)));
                    }
                    let mut toks = Vec::new();
                    let mut braces = 0u32;
                    loop {
                        let (t, p) = self.token(depth + 1)?;
                        match &t {
                            Tok::Eof => {
                                return Err(Error::syntax(
                                    "unterminated ${...} in a string: '}' expected",
                                    pos,
                                ))
                            }
                            Tok::Sym("{") | Tok::Sym("#{") => braces += 1,
                            Tok::Sym("}") if braces == 0 => break,
                            Tok::Sym("}") => braces -= 1,
                            _ => {}
                        }
                        toks.push((t, p));
                    }
                    toks.push((Tok::Eof, self.pos()));
                    parts.push(Part::Code(toks));
                }
                Some(c) => text.push(c),
            }
        }
        if !text.is_empty() || parts.is_empty() {
            parts.push(Part::Text(text));
        }
        Ok(Tok::Interp(Rc::new(parts)))
    }

    fn intern(&mut self, s: String) -> Rc<str> {
        if let Some(r) = self.names.get(&s) {
            return r.clone();
        }
        let r: Rc<str> = s.as_str().into();
        self.names.insert(s, r.clone());
        r
    }

    fn skip_space_and_comments(&mut self) -> Result<(), Error> {
        loop {
            match (self.peek(0), self.peek(1)) {
                (Some(c), _) if c.is_whitespace() => {
                    self.bump();
                }
                (Some('/'), Some('/')) => {
                    while let Some(c) = self.peek(0) {
                        if c == '\n' {
                            break;
                        }
                        self.bump();
                    }
                }
                (Some('/'), Some('*')) => {
                    let pos = self.pos();
                    self.bump();
                    self.bump();
                    let mut depth = 1u32;
                    while depth > 0 {
                        match (self.peek(0), self.peek(1)) {
                            (None, _) => return Err(Error::syntax("unterminated /* comment", pos)),
                            (Some('/'), Some('*')) => {
                                self.bump();
                                self.bump();
                                depth += 1;
                            }
                            (Some('*'), Some('/')) => {
                                self.bump();
                                self.bump();
                                depth -= 1;
                            }
                            _ => {
                                self.bump();
                            }
                        }
                    }
                }
                _ => return Ok(()),
            }
        }
    }

    fn number(&mut self, pos: Pos) -> Result<Tok, Error> {
        let radix = match (self.peek(0), self.peek(1)) {
            (Some('0'), Some('x' | 'X')) => 16,
            (Some('0'), Some('o' | 'O')) => 8,
            (Some('0'), Some('b' | 'B')) => 2,
            _ => 10,
        };
        let mut s = String::new();
        if radix != 10 {
            self.bump();
            self.bump();
            while let Some(c) = self.peek(0) {
                if c.is_digit(radix) || c == '_' {
                    if c != '_' {
                        s.push(c);
                    }
                    self.bump();
                } else {
                    break;
                }
            }
            return i64::from_str_radix(&s, radix)
                .map(Tok::Int)
                .map_err(|_| Error::syntax("invalid number", pos));
        }
        let mut float = false;
        self.digits(&mut s);
        if self.peek(0) == Some('.') && self.peek(1).is_some_and(|c| c.is_ascii_digit()) {
            float = true;
            s.push('.');
            self.bump();
            self.digits(&mut s);
        }
        if matches!(self.peek(0), Some('e' | 'E')) {
            let sign = matches!(self.peek(1), Some('+' | '-'));
            let d = if sign { self.peek(2) } else { self.peek(1) };
            if d.is_some_and(|c| c.is_ascii_digit()) {
                float = true;
                s.push('e');
                self.bump();
                if sign {
                    s.push(self.bump().unwrap_or('+'));
                }
                self.digits(&mut s);
            }
        }
        if self
            .peek(0)
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        {
            return Err(Error::syntax("invalid number", pos));
        }
        if float {
            s.parse::<f64>()
                .map(Tok::Float)
                .map_err(|_| Error::syntax("invalid number", pos))
        } else {
            s.parse::<i64>()
                .map(Tok::Int)
                .map_err(|_| Error::syntax("integer literal too large", pos))
        }
    }

    fn digits(&mut self, s: &mut String) {
        while let Some(c) = self.peek(0) {
            if c.is_ascii_digit() {
                s.push(c);
                self.bump();
            } else if c == '_' && self.peek(1).is_some_and(|d| d.is_ascii_digit()) {
                self.bump();
            } else {
                break;
            }
        }
    }

    /// One escape after the backslash.
    fn escape(&mut self, pos: Pos) -> Result<Option<char>, Error> {
        let Some(c) = self.bump() else {
            return Err(Error::syntax("unterminated string", pos));
        };
        let hex = |lx: &mut Lexer, n: usize| -> Result<char, Error> {
            let mut v: u32 = 0;
            for _ in 0..n {
                let d = lx
                    .bump()
                    .and_then(|c| c.to_digit(16))
                    .ok_or_else(|| Error::syntax("invalid escape sequence", pos))?;
                v = v * 16 + d;
            }
            char::from_u32(v).ok_or_else(|| Error::syntax("invalid escape sequence", pos))
        };
        Ok(Some(match c {
            'n' => '\n',
            't' => '\t',
            'r' => '\r',
            '0' => '\0',
            '\\' => '\\',
            '"' => '"',
            '\'' => '\'',
            'x' => hex(self, 2)?,
            'u' => hex(self, 4)?,
            'U' => hex(self, 8)?,
            '\n' => {
                // a line continuation: the newline and the next line's indentation are skipped
                while self.peek(0).is_some_and(|c| c == ' ' || c == '\t') {
                    self.bump();
                }
                return Ok(None);
            }
            other => {
                return Err(Error::syntax(
                    format!("invalid escape sequence '\\{other}'"),
                    pos,
                ))
            }
        }))
    }

    fn string(&mut self, pos: Pos) -> Result<String, Error> {
        let mut s = String::new();
        loop {
            match self.bump() {
                None => return Err(Error::syntax("unterminated string", pos)),
                Some('"') => return Ok(s),
                Some('\\') => {
                    if let Some(c) = self.escape(pos)? {
                        s.push(c);
                    }
                }
                Some(c) => s.push(c),
            }
        }
    }

    fn char_lit(&mut self, pos: Pos) -> Result<Tok, Error> {
        let c = match self.bump() {
            None | Some('\'') | Some('\n') => {
                return Err(Error::syntax("invalid character literal", pos))
            }
            Some('\\') => self
                .escape(pos)?
                .ok_or_else(|| Error::syntax("invalid character literal", pos))?,
            Some(c) => c,
        };
        if self.bump() != Some('\'') {
            return Err(Error::syntax(
                "invalid character literal: a char holds one character; strings use \"...\"",
                pos,
            ));
        }
        Ok(Tok::Char(c))
    }
}
