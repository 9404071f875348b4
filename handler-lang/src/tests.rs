//! The language's behaviour, one property per test.

use std::cell::RefCell;
use std::rc::Rc;

use super::*;

fn engine() -> Engine {
    let mut e = Engine::new();
    e.limits.max_operations = 200_000;
    e
}

fn run_with(e: &Engine, src: &str) -> Result<Value, Error> {
    let p = e.compile(src)?;
    e.run(&p)
}

fn run(src: &str) -> Result<Value, Error> {
    run_with(&engine(), src)
}

fn json(src: &str) -> serde_json::Value {
    match run(src) {
        Ok(v) => value_to_json(&v),
        Err(e) => panic!("{src}: {e}"),
    }
}

fn err(src: &str) -> Error {
    match run(src) {
        Ok(v) => panic!("{src}: expected an error, got {v}"),
        Err(e) => e,
    }
}

#[test]
fn a_captured_counter_survives_between_calls() {
    let e = engine();
    let p = e
        .compile("let c = 0;\n|event, context| { c += 1; c }")
        .unwrap();
    let Value::Fn(h) = e.run(&p).unwrap() else {
        panic!("not a closure")
    };
    let got: Vec<i64> = (0..3)
        .map(
            |_| match e.call(&p, &h, vec![Value::Unit, Value::Unit]).unwrap() {
                Value::Int(i) => i,
                other => panic!("{other}"),
            },
        )
        .collect();
    assert_eq!(got, vec![1, 2, 3]);
}

#[test]
fn a_closure_shares_the_variable_with_the_scope_that_made_it() {
    assert_eq!(
        json("let x = 1; let f = || { x += 1; }; f.call(); f.call(); x"),
        3
    );
    assert_eq!(json("let x = 1; let f = || x; x = 5; f.call()"), 5);
}

#[test]
fn an_infinite_loop_stops_at_the_operation_limit() {
    let mut e = Engine::new();
    e.limits.max_operations = 10_000;
    for src in [
        "loop { }",
        "while true { }",
        "let i = 0; loop { i += 1; }",
        "fn f() { loop {} } f()",
    ] {
        let r = run_with(&e, src).unwrap_err();
        assert!(matches!(r.kind, ErrorKind::TooManyOperations), "{src}: {r}");
        assert!(r.is_timeout());
    }
    assert!(e.last_operations() > 10_000);
}

#[test]
fn the_progress_callback_sees_every_operation_and_can_stop_the_script() {
    let mut e = Engine::new();
    let seen = Rc::new(RefCell::new(0u64));
    let s = seen.clone();
    e.on_progress(move |ops| {
        *s.borrow_mut() = ops;
        ops >= 500
    });
    let r = run_with(&e, "loop { }").unwrap_err();
    assert!(matches!(r.kind, ErrorKind::Terminated), "{r}");
    assert_eq!(*seen.borrow(), 500);
}

#[test]
fn try_catch_cannot_swallow_a_timeout() {
    let mut e = Engine::new();
    e.limits.max_operations = 1_000;
    let r = run_with(&e, "try { loop { } } catch { 1 }").unwrap_err();
    assert!(r.is_timeout(), "{r}");
}

#[test]
fn a_fn_cannot_see_the_callers_variables() {
    let r = err("fn f() { x }\nlet x = 1;\nf()");
    assert!(
        matches!(&r.kind, ErrorKind::VarNotFound(n) if n == "x"),
        "{r}"
    );
    assert_eq!(r.pos, Pos { line: 1, col: 10 });
    assert_eq!(json("fn f(x) { x * 2 }\nlet x = 1;\nf(21)"), 42);
}

#[test]
fn a_syntax_error_names_line_and_column() {
    let r = err("let x = 1;\nlet y = ;");
    assert!(matches!(r.kind, ErrorKind::Syntax(_)), "{r}");
    assert_eq!(r.pos, Pos { line: 2, col: 9 });
    assert!(r.to_string().ends_with("(line 2, column 9)"), "{r}");
    let r = err("let a = 1\nlet b = 2;");
    assert_eq!(
        r.pos.line, 2,
        "a missing ';' is reported where the next statement starts"
    );
}

#[test]
fn an_import_is_reported_as_such() {
    let r = err("import \"requests\" as r;\n1");
    assert!(
        matches!(&r.kind, ErrorKind::Import(m) if m == "requests"),
        "{r}"
    );
    assert_eq!(r.pos, Pos { line: 1, col: 1 });
}

#[test]
fn an_unknown_function_is_not_defined_at_its_position() {
    let r = err("let a = 1;\n  nope(a)");
    assert!(
        matches!(&r.kind, ErrorKind::FnNotFound(n) if n == "nope"),
        "{r}"
    );
    assert_eq!(r.pos, Pos { line: 2, col: 3 });
    let r = err("\"abc\".no_such_method()");
    assert!(
        matches!(&r.kind, ErrorKind::FnNotFound(n) if n == "no_such_method"),
        "{r}"
    );
    // a known function with the wrong arguments names the types
    let r = err("\"abc\".sub_string(\"x\")");
    assert!(
        matches!(&r.kind, ErrorKind::FnNotFound(n) if n == "sub_string (string, string)"),
        "{r}"
    );
}

#[test]
fn deep_nesting_is_a_syntax_error_not_a_stack_overflow() {
    let n = 100_000;
    let cases = [
        format!("{}1{}", "(".repeat(n), ")".repeat(n)),
        format!("{}1", "-".repeat(n)),
        format!("{}1", "!".repeat(n)),
        format!("1{}", "+1".repeat(n)),
        format!("2{}", " ** 2".repeat(n)),
        format!("let a = #{{}}; a{}", ".b".repeat(n)),
        format!("let a = []; a{}", "[0]".repeat(n)),
        "[".repeat(n),
        "{".repeat(n),
        format!("{}1", "|x| ".repeat(n)),
        format!("{}1{}", "if true { ".repeat(n), " }".repeat(n)),
    ];
    for src in cases {
        let r = err(&src);
        assert!(
            matches!(r.kind, ErrorKind::Syntax(_)),
            "{}: {r}",
            &src[..20]
        );
    }
    // 30 levels are fine
    assert_eq!(json(&format!("{}1{}", "(".repeat(30), ")".repeat(30))), 1);
}

#[test]
fn recursion_past_the_call_limit_is_a_stack_overflow_error() {
    let r = err("fn f(n) { f(n + 1) }\nf(0)");
    assert!(matches!(r.kind, ErrorKind::StackOverflow), "{r}");
    assert_eq!(
        json("fn fact(n) { if n <= 1 { 1 } else { n * fact(n - 1) } }\nfact(20)"),
        2432902008176640000i64
    );
}

/// The stack a run uses at most: the distance from the caller's frame to the deepest frame the
/// progress callback saw.
fn stack_used(src: &str) -> (Result<Value, Error>, usize) {
    use std::cell::Cell;
    let mut e = Engine::new();
    let low = Rc::new(Cell::new(usize::MAX));
    let l = low.clone();
    e.on_progress(move |_| {
        let here = 0u8;
        l.set(l.get().min(std::ptr::addr_of!(here) as usize));
        false
    });
    let p = e.compile(src).unwrap();
    let top = 0u8;
    let top = std::ptr::addr_of!(top) as usize;
    let r = e.run(&p);
    (r, top.saturating_sub(low.get()))
}

#[test]
fn the_deepest_allowed_script_fits_the_stack() {
    // 63 nested calls, each inside an expression nested about as deep as a function body allows:
    // the most stack a script can take (about 310 KB in a release build, under the 1 MB of wasm32)
    let deep = format!("{}f(n - 1){}", "1 + (".repeat(13), ")".repeat(13));
    let src = format!("fn f(n) {{ if n > 0 {{ {deep} }} else {{ 0 }} }}\nf(62)");
    let h = std::thread::Builder::new()
        .stack_size(16 << 20)
        .spawn(move || {
            let (r, used) = stack_used(&src);
            (r.map(|v| v.to_string()).map_err(|e| e.to_string()), used)
        })
        .unwrap();
    let (r, used) = h.join().unwrap();
    assert_eq!(r.unwrap(), "806");
    let budget = if cfg!(debug_assertions) {
        4 << 20
    } else {
        512 << 10
    };
    assert!(used < budget, "{used} bytes of stack");
    // one more level of calls is refused
    let r = err("fn f(n) { if n > 0 { f(n - 1) } else { 0 } }\nf(64)");
    assert!(matches!(r.kind, ErrorKind::StackOverflow), "{r}");
}

#[test]
fn operators_follow_rhai_precedence() {
    assert_eq!(json("1 + 2 * 3"), 7);
    assert_eq!(json("10 - 4 - 3"), 3);
    assert_eq!(json("2 ** 3 ** 2"), 512);
    assert_eq!(json("-7 / 2"), -3);
    assert_eq!(json("7 % 3"), 1);
    assert_eq!(json("1 + 2.5"), 3.5);
    assert_eq!(json("1 < 2 && 2 < 3 || false"), true);
    assert_eq!(json("!(1 == 1)"), false);
    assert_eq!(json("1 << 4 | 1"), 17);
    assert_eq!(json("let n = 5; n % 7 * 10"), 50);
    assert_eq!(json("2 in [1, 2]"), true);
    assert_eq!(json("\"b\" in #{b: 1}"), true);
    assert_eq!(json("() ?? 4"), 4);
    assert_eq!(
        json("[(1..4).contains(2), (1..=4).contains(4), (1..4).contains(4)]"),
        serde_json::json!([true, true, false])
    );
}

#[test]
fn arithmetic_errors_are_errors_not_panics() {
    for src in [
        "9223372036854775807 + 1",
        "1 / 0",
        "1 % 0",
        "-9223372036854775807 - 2",
        "2 ** 64",
        "1 << 64",
        "(-9223372036854775807 - 1) / -1",
        "(-9223372036854775807 - 1).abs()",
    ] {
        let r = err(src);
        assert!(matches!(r.kind, ErrorKind::Runtime(_)), "{src}: {r}");
    }
}

#[test]
fn strings_concatenate_with_anything_and_have_rhai_methods() {
    assert_eq!(json("\"a\" + 1"), "a1");
    assert_eq!(json("1 + \"a\""), "1a");
    assert_eq!(json("\"x\" + 1.0"), "x1.0");
    assert_eq!(json("\"v: \" + [1, \"a\"]"), "v: [1, \"a\"]");
    assert_eq!(json("\"a\\tb\\n\\\"q\\\"\\u0041\""), "a\tb\n\"q\"A");
    assert_eq!(json("'x'"), "x");
    assert_eq!(json("'a' + 'b'"), "ab");
    assert_eq!(json("\"héllo\".len()"), 5);
    assert_eq!(json("\"abc\".to_upper()"), "ABC");
    assert_eq!(json("\"ABC\".to_lower()"), "abc");
    assert_eq!(json("\"abcdef\".sub_string(1, 3)"), "bcd");
    assert_eq!(json("\"abcdef\".sub_string(4)"), "ef");
    assert_eq!(
        json("\"a,b,c\".split(\",\")"),
        serde_json::json!(["a", "b", "c"])
    );
    assert_eq!(json("\"abcabc\".index_of(\"c\")"), 2);
    assert_eq!(json("\"abc\".index_of(\"z\")"), -1);
    assert_eq!(json("\"abc\".contains(\"bc\")"), true);
    assert_eq!(json("\"abc\".contains('z')"), false);
    assert_eq!(json("\"abc\".starts_with(\"ab\")"), true);
    assert_eq!(json("\"abc\".ends_with(\"bc\")"), true);
    assert_eq!(json("\"abc\"[1]"), "b");
    // Rhai's in-place methods
    assert_eq!(json("let s = \"  a \"; s.trim(); s"), "a");
    assert_eq!(json("let s = \"a\"; s.pad(3, 'x'); s"), "axx");
    assert_eq!(json("let s = \"aXa\"; s.replace(\"a\", \"b\"); s"), "bXb");
    assert_eq!(json("let s = \"\"; for i in 0..3 { s += i; } s"), "012");
    assert_eq!(json("parse_int(\"42\") + 1"), 43);
    assert_eq!(json("parse_float(\"1.5\")"), 1.5);
    assert_eq!(json("to_string(5) + (5).to_string()"), "55");
    assert_eq!(json("type_of(\"\") + type_of(1) + type_of(1.0) + type_of([]) + type_of(#{}) + type_of(()) + type_of('c') + type_of(|x| x)"), "stringi64f64arraymap()charFn");
    let r = err("parse_int(\"x\")");
    assert!(matches!(r.kind, ErrorKind::Runtime(_)), "{r}");
}

#[test]
fn back_quoted_strings_interpolate_expressions() {
    assert_eq!(
        json("let n = 2; `n = ${n}, next ${n + 1}`"),
        "n = 2, next 3"
    );
    assert_eq!(json("`a ${#{b: [1]}.b[0]} ${`in ${1}`}`"), "a 1 in 1");
    assert_eq!(
        json("`no escapes: \\n ``quoted```"),
        "no escapes: \\n `quoted`"
    );
    assert_eq!(json("`\nfirst line skipped`"), "first line skipped");
    let r = err("let x = `${1 +}`;");
    assert!(matches!(r.kind, ErrorKind::Syntax(_)), "{r}");
    let r = err("let x = `${}`;");
    assert!(matches!(r.kind, ErrorKind::Syntax(_)), "{r}");
    let r = err("let x = `${1`;");
    assert!(matches!(r.kind, ErrorKind::Syntax(_)), "{r}");
    let r = err(&format!("{}1{}", "`${".repeat(50), "}`".repeat(50)));
    assert!(matches!(r.kind, ErrorKind::Syntax(_)), "{r}");
}

#[test]
fn arrays_are_values_with_rhai_methods() {
    assert_eq!(
        json("let a = [1]; let b = a; b.push(2); [a.len(), b.len()]"),
        serde_json::json!([1, 2])
    );
    assert_eq!(
        json("let a = [1, 2, 3]; [a[0], a[-1], a.len]"),
        serde_json::json!([1, 3, 3])
    );
    assert_eq!(
        json("let a = [3, 1, 2]; a.sort(); a"),
        serde_json::json!([1, 2, 3])
    );
    assert_eq!(
        json("let a = [1, 2, 3]; a.pop(); a.insert(0, 9); a.remove(1); a"),
        serde_json::json!([9, 2])
    );
    assert_eq!(
        json("[1, 2, 3].map(|x| x * 2)"),
        serde_json::json!([2, 4, 6])
    );
    assert_eq!(
        json("[1, 2, 3].filter(|x| x > 1)"),
        serde_json::json!([2, 3])
    );
    assert_eq!(json("[1, 2, 3].reduce(|s, x| s + x, 0)"), 6);
    assert_eq!(json("[1, 2] + [3]"), serde_json::json!([1, 2, 3]));
    assert_eq!(json("[1, 2].contains(2)"), true);
    assert_eq!(
        json("let m = #{l: []}; m.l.push(1); m.l.push(2); m"),
        serde_json::json!({"l": [1, 2]})
    );
    assert_eq!(
        json("let a = [[1], [2]]; a[1][0] = 5; a"),
        serde_json::json!([[1], [5]])
    );
    let r = err("[1][5]");
    assert!(matches!(r.kind, ErrorKind::Runtime(_)), "{r}");
}

#[test]
fn maps_read_properties_by_dot_and_by_index() {
    assert_eq!(
        json("let m = #{a: 1, \"b c\": 2}; [m.a, m[\"b c\"], m.missing]"),
        serde_json::json!([1, 2, null])
    );
    assert_eq!(
        json("let m = #{}; m.x = 1; m[\"y\"] = 2; m.x += 5; m"),
        serde_json::json!({"x": 6, "y": 2})
    );
    assert_eq!(
        json("let m = #{a: #{b: 1}}; m.a.b = 2; m"),
        serde_json::json!({"a": {"b": 2}})
    );
    assert_eq!(json("#{b: 1, a: 2}.keys()"), serde_json::json!(["a", "b"]));
    assert_eq!(json("let m = #{a: 1}; m.remove(\"a\"); m.len()"), 0);
    assert_eq!(json("let m = #{a: 1}; let n = m; n.a = 2; m.a"), 1);
}

#[test]
fn control_flow_works_as_in_rhai() {
    assert_eq!(
        json("let x = if 1 > 2 { \"a\" } else if true { \"b\" } else { \"c\" }; x"),
        "b"
    );
    assert_eq!(
        json("let s = 0; for i in 0..5 { if i == 1 { continue; } if i == 4 { break; } s += i; } s"),
        5
    );
    assert_eq!(json("let s = 0; for i in 1..=3 { s += i; } s"), 6);
    assert_eq!(
        json("let s = []; for (x, i) in [\"a\", \"b\"] { s.push(x + i); } s"),
        serde_json::json!(["a0", "b1"])
    );
    assert_eq!(json("let i = 0; while i < 10 { i += 3; } i"), 12);
    assert_eq!(json("let i = 0; loop { i += 1; if i > 4 { break; } } i"), 5);
    assert_eq!(json("let i = 0; do { i += 1; } while i < 3; i"), 3);
    assert_eq!(
        json("fn f(x) { if x > 0 { return \"pos\"; } \"neg\" } [f(1), f(-1)]"),
        serde_json::json!(["pos", "neg"])
    );
    assert_eq!(json("let x = 1; { let x = 2; } x"), 1);
    let r = err("const A = 1; A = 2;");
    assert!(matches!(r.kind, ErrorKind::Runtime(_)), "{r}");
    let r = err("if 1 { 2 }");
    assert!(matches!(r.kind, ErrorKind::Runtime(_)), "{r}");
}

#[test]
fn switch_picks_the_first_matching_case_as_in_rhai() {
    let pick = |v: &str| {
        json(&format!(
            r#"let x = {v};
            switch x {{
                1 | 2 => "one or two",
                3..5 => "three or four",
                5..=6 => {{ let s = "five"; s + " or six" }}
                7 if x > 100 => "never",
                7 => "seven",
                "a" => "a string",
                'c' => "a char",
                true => "true",
                -1 => "minus one",
                1.5 => "one and a half",
                _ => "other"
            }}"#
        ))
    };
    for (v, want) in [
        ("1", "one or two"),
        ("2", "one or two"),
        ("4", "three or four"),
        ("5", "five or six"),
        ("6", "five or six"),
        ("7", "seven"),
        ("\"a\"", "a string"),
        ("'c'", "a char"),
        ("true", "true"),
        ("-1", "minus one"),
        ("1.5", "one and a half"),
        // a case matches a value of its own type only: 1.0 is not the case 1
        ("1.0", "other"),
        ("\"1\"", "other"),
        ("99", "other"),
    ] {
        assert_eq!(pick(v), serde_json::json!(want), "switch on {v}");
    }
    // no case and no default: ()
    assert_eq!(json("switch 3 { 1 => 10 }"), serde_json::Value::Null);
    // a switch is an expression and, like `if`, a statement that needs no ';'
    assert_eq!(
        json("let n = 0; switch 2 { 2 => { n = 5; } } let m = switch n { 5 => 50, _ => 0 }; m"),
        50
    );
    // the handler's variables are visible in case conditions and bodies, also from a closure
    assert_eq!(
        json("let k = 3; let f = |e| switch e { 1 if k > 2 => k * 10, _ => 0 }; f.call(1)"),
        30
    );
}

#[test]
fn a_badly_formed_switch_is_a_syntax_error_at_its_place() {
    for (src, line, col, message) in [
        (
            "switch 1 {\n  _ => 0,\n  1 => 1\n}",
            3,
            3,
            "the default case '_' must be the last",
        ),
        (
            "switch 1 {\n  _ if true => 0\n}",
            2,
            5,
            "cannot have a condition",
        ),
        ("switch 1 {\n  x => 0\n}", 2, 3, "a case value"),
        ("switch 1 {\n  1..2.5 => 0\n}", 2, 3, "needs whole numbers"),
        ("switch 1 {\n  1 => 0\n  2 => 1\n}", 3, 3, "',' or '}'"),
    ] {
        let r = err(src);
        assert!(matches!(r.kind, ErrorKind::Syntax(_)), "{src}: {r}");
        assert!(r.to_string().contains(message), "{src}: {r}");
        assert_eq!(r.pos, Pos { line, col }, "{src}: {r}");
    }
}

#[test]
fn throw_and_try_catch() {
    assert_eq!(json("try { throw 41; } catch (e) { e + 1 }"), 42);
    assert_eq!(
        json("try {\n  nope();\n} catch (e) { e }"),
        serde_json::json!({"message": "nope is not defined", "line": 2, "position": 3})
    );
    let r = err("fn f() {\n  throw #{errorType: \"E\"};\n}\nf()");
    assert!(matches!(r.kind, ErrorKind::Thrown(_)), "{r}");
    assert_eq!(r.pos.line, 2);
    assert_eq!(r.calls.len(), 1);
    assert_eq!(r.calls[0].0.as_deref(), Some("f"));
    assert_eq!(r.calls[0].1.line, 4);
}

#[test]
fn a_fn_called_as_a_method_sees_the_receiver_as_this_and_may_change_it() {
    assert_eq!(
        json("fn add(n) { this += n; this } let x = 1; let y = x.add(2); [x, y]"),
        serde_json::json!([3, 3])
    );
    assert_eq!(json("fn tag(t) { this.tags.push(t); } let m = #{tags: []}; m.tag(\"a\"); m.tag(\"b\"); m.tags"), serde_json::json!(["a", "b"]));
    assert_eq!(json("fn size() { this.len() } [1, 2].size()"), 2);
    assert_eq!(json("fn size() { this.len() } const A = [1]; A.size()"), 1);
}

#[test]
fn closures_and_function_pointers_can_be_called() {
    assert_eq!(
        json("let add = |a, b| a + b; [add.call(1, 2), add(3, 4)]"),
        serde_json::json!([3, 7])
    );
    assert_eq!(
        json("fn twice(x) { x * 2 } let f = Fn(\"twice\"); f.call(4)"),
        8
    );
    assert_eq!(
        json("let k = 10; let f = |x| { let y = x + k; y }; f.call(1)"),
        11
    );
}

#[derive(Debug)]
struct Thing(i64);

impl HostObject for Thing {
    fn type_name(&self) -> &'static str {
        "Thing"
    }
    fn get(&self, name: &str) -> Option<Value> {
        (name == "size").then_some(Value::Int(self.0))
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

#[test]
fn method_syntax_calls_host_functions_with_the_receiver_first() {
    let mut e = engine();
    e.register("thing", |a| match a {
        [Value::Int(n)] => Ok(Value::Host(Rc::new(Thing(*n)))),
        _ => Err(mismatch()),
    });
    e.register("grow", |a| match a {
        [t, Value::Int(by)] => {
            let t = t.host::<Thing>().ok_or_else(mismatch)?;
            Ok(Value::Int(t.0 + *by))
        }
        _ => Err(mismatch()),
    });
    assert_eq!(
        value_to_json(&run_with(&e, "let t = thing(3); [t.size, t.grow(2), grow(t, 1)]").unwrap()),
        serde_json::json!([3, 5, 4])
    );
    assert_eq!(
        run_with(&e, "type_of(thing(1))").unwrap().to_string(),
        "Thing"
    );
    let r = run_with(&e, "thing(1).colour").unwrap_err();
    assert!(matches!(r.kind, ErrorKind::Runtime(_)), "{r}");
    let r = run_with(&e, "thing(\"x\")").unwrap_err();
    assert!(
        matches!(&r.kind, ErrorKind::FnNotFound(s) if s == "thing (string)"),
        "{r}"
    );
}

#[test]
fn print_goes_to_the_print_callback() {
    let mut e = engine();
    let out = Rc::new(RefCell::new(Vec::new()));
    let o = out.clone();
    e.on_print(move |s| o.borrow_mut().push(s.to_string()));
    run_with(&e, "print(\"hi \" + 1); print([1, \"a\"]); debug(\"q\")").unwrap();
    assert_eq!(*out.borrow(), vec!["hi 1", "[1, \"a\"]", "\"q\""]);
}

#[test]
fn strings_arrays_and_maps_stop_at_their_size_limits() {
    let mut e = Engine::new();
    e.limits.max_string_size = 1000;
    e.limits.max_array_size = 100;
    e.limits.max_map_size = 10;
    for src in [
        "let s = \"x\"; loop { s += s; }",
        "let s = \"\"; s.pad(5000, 'x');",
        "let a = []; loop { a.push(1); }",
        "let a = [1]; loop { a += a; }",
        "let m = #{}; for i in 0..100 { m[\"k\" + i] = i; }",
    ] {
        let r = run_with(&e, src).unwrap_err();
        assert!(matches!(r.kind, ErrorKind::DataTooLarge(_)), "{src}: {r}");
    }
}

#[test]
fn deeply_nested_values_are_refused_before_they_can_exhaust_the_stack() {
    for src in [
        "let a = []; loop { a = [a]; }",
        "let m = #{}; loop { m = #{m: m}; }",
        "let a = []; loop { let b = []; b.push(a); a = b; }",
        "let m = #{}; loop { let n = #{}; n.x = m; m = n; }",
        "let f = || 0; loop { let g = f; f = || g.call(); }",
    ] {
        let r = err(src);
        assert!(matches!(r.kind, ErrorKind::DataTooLarge(_)), "{src}: {r}");
    }
    // a value shared with itself doubles at every step: the walk runs out of operations
    let r = err("let a = [1]; loop { a = [a, a]; }");
    assert!(
        r.is_timeout() || matches!(r.kind, ErrorKind::DataTooLarge(_)),
        "{r}"
    );
    // 150 levels are fine, and a closure may call itself through the variable it is stored in
    assert_eq!(json("let a = []; for i in 0..150 { a = [a]; } a.len()"), 1);
    assert_eq!(
        json("let fib = 0; fib = |n| if n < 2 { n } else { fib.call(n - 1) + fib.call(n - 2) }; fib.call(10)"),
        55
    );
}

#[test]
fn growing_a_string_in_a_loop_is_linear() {
    let mut e = Engine::new();
    e.limits.max_operations = 2_000_000;
    let t = std::time::Instant::now();
    let v = run_with(
        &e,
        "let s = \"\"; for i in 0..100000 { s += \"0123456789\"; } s.len()",
    )
    .unwrap();
    assert_eq!(v.to_string(), "1000000");
    assert!(t.elapsed().as_secs() < 5, "{:?}", t.elapsed());
}

#[test]
fn json_round_trips_and_refuses_what_it_cannot_hold() {
    let v = json_to_value(&serde_json::json!({"a": [1, 2.5, "x", null, true], "b": {}}));
    assert_eq!(
        value_to_json(&v),
        serde_json::json!({"a": [1, 2.5, "x", null, true], "b": {}})
    );
    let mut out = String::new();
    assert_eq!(
        write_json_strict(&run("#{f: |x| x}").unwrap(), &mut out),
        Err("Fn")
    );
    let mut out = String::new();
    write_json(&run("#{c: 'x', s: \"q\\\"\"}").unwrap(), &mut out);
    assert_eq!(out, r#"{"c":"x","s":"q\""}"#);
}

#[test]
fn values_print_as_rhai_prints_them() {
    assert_eq!(run("1.0").unwrap().to_string(), "1.0");
    assert_eq!(run("0.5").unwrap().to_string(), "0.5");
    assert_eq!(run("()").unwrap().to_string(), "");
    assert_eq!(
        run("#{a: \"x\", b: ()}").unwrap().to_string(),
        "#{\"a\": \"x\", \"b\": ()}"
    );
}

#[cfg(not(target_arch = "wasm32"))]
mod never_panics {
    use super::*;
    use proptest::prelude::*;

    const TOKENS: &[&str] = &[
        "let",
        "const",
        "x",
        "y",
        "f",
        "=",
        "+=",
        "-=",
        "*=",
        "/=",
        "1",
        "0",
        "-1",
        "2.5",
        "\"s\"",
        "'c'",
        "true",
        "()",
        "+",
        "-",
        "*",
        "/",
        "%",
        "**",
        "==",
        "<",
        ">=",
        "&&",
        "||",
        "!",
        "(",
        ")",
        "{",
        "}",
        "[",
        "]",
        "#{",
        ":",
        ",",
        ";",
        ".",
        "..",
        "..=",
        "?.",
        "??",
        "|",
        "|x|",
        "if",
        "else",
        "while",
        "loop",
        "for",
        "in",
        "break",
        "continue",
        "return",
        "throw",
        "try",
        "catch",
        "fn",
        "import",
        "switch",
        "len()",
        "push(1)",
        "x.push(x)",
        "call",
        "Fn(\"f\")",
        "\n",
        "// c\n",
        "/*",
        "*/",
        "`",
        "${",
        "`${x}`",
        "\\",
        "\"",
        "x.a",
        "x[0]",
        "s.pad(99999999, 'x')",
        "9223372036854775807",
    ];

    fn check(src: &str) {
        let mut e = Engine::new();
        e.limits.max_operations = 20_000;
        // deep recursion has its own test, in a thread with room for a debug build's frames
        e.limits.max_call_levels = 16;
        e.register("ev", |_| Ok(Value::Unit));
        if let Ok(p) = e.compile(src) {
            if let Ok(Value::Fn(f)) = e.run(&p) {
                let _ = e.call(&p, &f, vec![Value::Int(1), Value::Unit]);
            }
        }
    }

    proptest! {
        // `cargo xtask fuzz` sets PROPTEST_CASES to run longer
        #![proptest_config(ProptestConfig::with_cases(
            std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(400)
        ))]

        #[test]
        fn random_text_neither_panics_nor_hangs(src in "\\PC{0,200}") {
            check(&src);
        }

        #[test]
        fn token_soup_neither_panics_nor_hangs(toks in proptest::collection::vec(proptest::sample::select(TOKENS), 0..80)) {
            check(&toks.join(" "));
        }
    }
}

#[test]
fn a_closure_that_calls_itself_can_be_stored_in_arrays_and_maps() {
    // its variable holds the closure itself: a cycle, not nesting without end
    assert_eq!(
        json("let fib = 0; fib = |n| if n < 2 { n } else { fib.call(n - 1) + fib.call(n - 2) }; let m = #{f: fib}; let a = [m, fib]; a[0].f.call(10) + a[1].call(5)"),
        60
    );
    assert_eq!(json("let f = 0; f = || f; let a = [f, [f]]; a.len()"), 2);
    // nesting around such a closure is still counted
    let r = err("let f = 0; f = || f; let a = [f]; loop { a = [a]; }");
    assert!(matches!(r.kind, ErrorKind::DataTooLarge(_)), "{r}");
}

/// A 512 KiB string, then an array holding it 100,000 times (50 GB as text): every way of turning
/// such a value into text is refused with a clear error, before the text is built. Each of these
/// aborted the process on memory before sizes were accounted first.
const SHARED_BIG: &str = "let s = \"x\"; for i in 0..19 { s += s; } \
     let a = []; for i in 0..100000 { a.push(s); }";

fn big_engine() -> Engine {
    let mut e = Engine::new();
    e.limits.max_operations = 2_000_000;
    e
}

#[test]
fn text_of_a_value_sharing_one_large_string_is_refused_before_it_is_built() {
    let e = big_engine();
    let printed = Rc::new(RefCell::new(0usize));
    let p = printed.clone();
    let mut e2 = big_engine();
    e2.on_print(move |s| *p.borrow_mut() += s.len());
    for tail in [
        "let t = \"\" + a;",
        "let t = a + \"\";",
        "let t = `${a}`;",
        "let t = a.to_string();",
        "let t = to_string(a);",
        "let t = a.to_debug();",
        "let t = a.to_json();",
        "let t = #{a: a}.to_json();",
        "let t = \"\"; t.append(a);",
        "let t = \"x\"; t += a;",
    ] {
        let src = format!("{SHARED_BIG} {tail}");
        let r = run_with(&e, &src).unwrap_err();
        assert!(
            matches!(r.kind, ErrorKind::DataTooLarge("string")),
            "{tail}: {r}"
        );
        assert!(r.pos.is_some(), "{tail}: {r}");
    }
    for tail in ["print(a);", "debug(a);"] {
        let r = run_with(&e2, &format!("{SHARED_BIG} {tail}")).unwrap_err();
        assert_eq!(r.message(), "printed text too large", "{tail}");
    }
    assert_eq!(*printed.borrow(), 0, "nothing was printed");
}

#[test]
fn strings_built_by_one_call_are_bounded_in_all() {
    // 512 KiB copied 1,000 times is 512 MiB: stopped at the built-bytes limit (64 MiB), with
    // operations to spare
    let e = big_engine();
    let r = run_with(
        &e,
        "let s = \"x\"; for i in 0..19 { s += s; } \
         let keep = []; for i in 0..1000 { keep.push(s + i); }",
    )
    .unwrap_err();
    assert_eq!(
        r.message(),
        "text built by one call (all strings together) too large"
    );
    // the same work within the limit is fine
    assert_eq!(
        json("let s = \"ab\"; let keep = []; for i in 0..1000 { keep.push(s + i); } keep.len()"),
        1000
    );
}

#[test]
fn replace_split_and_chars_count_their_result_before_building_it() {
    let e = big_engine();
    for (tail, what) in [
        // 524,288 matches × 524,288 bytes
        ("let t = s; t.replace(\"x\", s);", "string"),
        ("let c = s.chars();", "array"),
        ("let c = s.split(\"\");", "array"),
        ("let c = s.split(\"x\");", "array"),
    ] {
        let src = format!("let s = \"x\"; for i in 0..19 {{ s += s; }} {tail}");
        let r = run_with(&e, &src).unwrap_err();
        assert!(
            matches!(r.kind, ErrorKind::DataTooLarge(w) if w == what),
            "{tail}: {r}"
        );
    }
    assert_eq!(json("let t = \"a-b\"; t.replace(\"-\", \"--\"); t"), "a--b");
    assert_eq!(json("\"a b\".split().len()"), 2);
}

#[test]
fn json_written_with_a_cap_stops_at_the_cap() {
    let e = big_engine();
    let p = e.compile(&format!("{SHARED_BIG} a")).unwrap();
    let v = e.run(&p).unwrap();
    let mut out = String::new();
    assert_eq!(
        write_json_capped(&v, &mut out, 6 * 1024 * 1024 + 1, true),
        Err(JsonError::TooLarge)
    );
    assert_eq!(out.len(), 6 * 1024 * 1024 + 1);
    assert!(v.text_capped(1000).is_none());
    assert!(v.text_lossy(10).ends_with('…'));
}
