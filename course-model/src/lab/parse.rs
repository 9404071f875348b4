//! Reading a lab file: TOML in, a validated [`Lab`] and every problem found out, each at
//! `file:line:col`.

use std::collections::BTreeSet;
use std::ops::Range;
use std::sync::Arc;

use lab_runtime::scenario::{Scenario, ScenarioError};
use serde::Deserialize;
use toml::Spanned;

use super::check::{Check, METRICS};
use super::objective::Objective;
use super::session::LabSession;
use super::step::Step;
use super::{Lab, CONTROLS, LAB_FORMAT_VERSION};
use crate::diagnostic::{Diagnostic, Severity};
use crate::parse::file_stem;
use crate::reader::{one_of, Ctx};
use crate::suggest::closest;

/// The outcome of reading one lab file.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedLab {
    /// `Some` exactly when no diagnostic is an error.
    pub lab: Option<Lab>,
    /// Errors and warnings, by line and column.
    pub diagnostics: Vec<Diagnostic>,
}

/// A lab file (`content/labs/<id>.toml`): the lab's keys, its `[scenario]` (the starting world),
/// `[[objective]]`s and the `[[solution]]` that meets them. Guide: book/src/instructors/labs.md.
#[derive(Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(title = "mdbook-course lab file"))]
#[serde(deny_unknown_fields)]
struct RawLab {
    /// Version of the lab file format: `1`.
    #[cfg_attr(feature = "schema", schemars(with = "u32", range(min = 1, max = 1)))]
    format_version: Spanned<u32>,
    /// Lowercase letters, digits and `-`; must equal the file name without `.toml`. Completion
    /// is saved under `course:{book}:lab:{id}`.
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    id: Spanned<String>,
    /// Shown above the console as "Lab: title".
    title: String,
    /// What the learner is asked to do (Markdown, rendered at build time).
    brief: String,
    /// The function the configuration, code and invoke panels act on (default: the scenario's
    /// first function).
    #[cfg_attr(feature = "schema", schemars(with = "Option<String>"))]
    function: Option<Spanned<String>>,
    /// The controls the learner may use; the others are not shown: config, concurrency, async,
    /// policies, vpc, code, invoke, invoke_async, dry_run, principal, sqs, burst, load_test, time.
    #[cfg_attr(feature = "schema", schemars(with = "Vec<ControlName>"))]
    controls: Vec<Spanned<String>>,
    /// Seed of the simulation (default 0, at most 2^53: the page carries it as a JSON number).
    #[cfg_attr(feature = "schema", schemars(with = "Option<u64>"))]
    seed: Option<Spanned<u64>>,
    /// The starting world: a lab-sim scenario (book/src/instructors/scenarios.md).
    #[cfg_attr(feature = "schema", schemars(with = "Scenario"))]
    scenario: Spanned<Scenario>,
    /// Markdown strings, revealed one at a time by "Show hint".
    #[serde(default)]
    hints: Vec<String>,
    /// What the learner must achieve (at least one): `check = "<name>"` and that check's keys.
    #[serde(default, rename = "objective")]
    #[cfg_attr(feature = "schema", schemars(with = "Vec<Objective>"))]
    objectives: Vec<Spanned<AuthoredObjective>>,
    /// The reference solution: steps (`do = "<name>"`) that complete every objective; `check`
    /// replays it.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "Vec<Step>"))]
    solution: Vec<Spanned<Step>>,
}

/// An `[[objective]]` as authors write it: the check's name and its keys beside `id` and `text`
/// (`check = "count"`, `metric = "cold_starts"`, …). The page carries the same [`Objective`]
/// with its [`Check`] externally tagged (`{"count": {…}}`), the form serde reads without
/// buffering; this reader moves the keys into that form and lets [`Check`]'s own codec read
/// them, so unknown names, unknown keys and missing keys get serde's messages at the
/// objective's line.
struct AuthoredObjective(Objective);

impl<'de> Deserialize<'de> for AuthoredObjective {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Keys {
            id: String,
            text: String,
            check: String,
            #[serde(flatten)]
            keys: toml::Table,
        }
        let Keys {
            id,
            text,
            check,
            keys,
        } = Keys::deserialize(d)?;
        let tagged = toml::Table::from_iter([(check, toml::Value::Table(keys))]);
        let check = toml::Value::Table(tagged)
            .try_into::<Check>()
            .map_err(|e| serde::de::Error::custom(e.message().trim()))?;
        Ok(Self(Objective { id, text, check }))
    }
}

/// A control's name in `controls`, for the schema (the reader checks names against
/// [`CONTROLS`], with did-you-mean).
#[cfg(feature = "schema")]
#[derive(schemars::JsonSchema)]
#[schemars(rename_all = "snake_case")]
#[allow(dead_code)]
enum ControlName {
    Config,
    Concurrency,
    Async,
    Policies,
    Vpc,
    Code,
    Invoke,
    InvokeAsync,
    DryRun,
    Principal,
    Sqs,
    Burst,
    LoadTest,
    Time,
    Versions,
}

/// The JSON Schema of a lab file.
#[cfg(feature = "schema")]
pub(crate) fn file_schema() -> schemars::Schema {
    lab_runtime::scenario::schema_generator().into_root_schema_for::<RawLab>()
}

#[cfg(all(test, feature = "schema"))]
mod schema_tests {
    use super::*;

    #[test]
    fn the_schema_lists_every_control_the_reader_accepts() {
        let schema = serde_json::to_value(file_schema()).unwrap();
        let names: Vec<&str> = schema["definitions"]["ControlName"]["enum"]
            .as_array()
            .expect("control names")
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        let want: Vec<&str> = CONTROLS.iter().map(|(n, _)| *n).collect();
        assert_eq!(names, want);
    }
}

/// Parses and validates the lab in `source`; `file` names it in diagnostics.
pub fn parse_lab_file(file: &str, source: &str) -> ParsedLab {
    let mut cx = Ctx::new(file, source);
    let lab = match toml::from_str::<RawLab>(source) {
        Ok(raw) => check(&mut cx, raw),
        Err(e) => {
            let span = e.span().unwrap_or(0..0);
            let message = e.message().trim().to_owned();
            let hint = hint_for(&message);
            cx.error(&span, message, hint);
            None
        }
    };
    let mut diagnostics = cx.diagnostics;
    diagnostics.sort_by_key(|d| (d.line, d.col));
    let lab = lab.filter(|_| !diagnostics.iter().any(Diagnostic::is_error));
    ParsedLab { lab, diagnostics }
}

fn hint_for(message: &str) -> String {
    if message.contains("unknown variant") {
        "use one of the names listed; see book/src/instructors/labs.md".into()
    } else if message.contains("missing field") {
        "add the key; every lab needs format_version, id, title, brief, controls and [scenario]"
            .into()
    } else if message.contains("unknown field") {
        "remove or rename the key; see book/src/instructors/labs.md for every key".into()
    } else {
        "fix the TOML here; the lab is checked once it parses".into()
    }
}

fn scenario_error(cx: &mut Ctx<'_>, e: &ScenarioError) {
    cx.diagnostics.push(Diagnostic {
        severity: Severity::Error,
        file: cx.file.to_owned(),
        line: e.line,
        col: e.col,
        message: format!("scenario: {}", e.message),
        hint: Some(
            "the [scenario] table is a lab-runtime scenario; see book/src/instructors/labs.md"
                .into(),
        ),
    });
}

/// The byte offset of `key = …` in the table that starts at `from` (or `from` itself).
fn key_at(source: &str, from: usize, key: &str) -> Range<usize> {
    let mut off = from;
    for (i, line) in source[from.min(source.len())..]
        .split_inclusive('\n')
        .enumerate()
    {
        let t = line.trim_start();
        if i > 0 && t.starts_with('[') {
            break;
        }
        if let Some(rest) = t.strip_prefix(key) {
            if rest.trim_start().starts_with('=') {
                let at = off + (line.len() - t.len());
                return at..at + key.len();
            }
        }
        off += line.len();
    }
    from..from
}

/// The largest seed the page's JSON carries exactly (2^53).
const MAX_SEED: u64 = 1 << 53;

fn check(cx: &mut Ctx<'_>, raw: RawLab) -> Option<Lab> {
    let source = cx.source;
    if *raw.format_version.get_ref() != LAB_FORMAT_VERSION {
        cx.error(
            &raw.format_version.span(),
            format!(
                "unsupported format_version {}",
                raw.format_version.get_ref()
            ),
            "write `format_version = 1`",
        );
    }
    let seed = raw.seed.as_ref().map_or(0, |s| *s.get_ref());
    if let Some(s) = raw.seed.as_ref().filter(|_| seed > MAX_SEED) {
        cx.error(
            &s.span(),
            format!("seed {seed} is too large: at most {MAX_SEED}"),
            "the page carries the lab as JSON, whose numbers are exact up to 2^53; pick a smaller seed",
        );
    }
    let id = raw.id.get_ref().clone();
    if !crate::id::check_id(cx, "lab id", &id, &raw.id.span()) {
        // reported: empty, too long, or a character outside the ids' safe set
    } else if !id
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        cx.error(
            &raw.id.span(),
            format!("lab id `{id}` must be lowercase letters, digits and `-`"),
            "e.g. `id = \"cold-warm-starts\"`",
        );
    } else if id != file_stem(cx.file) {
        cx.error(
            &raw.id.span(),
            format!(
                "lab id `{id}` differs from the file name `{}`",
                file_stem(cx.file)
            ),
            format!("rename the file to `{id}.toml` or change the id"),
        );
    }
    let mut controls = Vec::new();
    for c in &raw.controls {
        if let Some(c) = one_of(cx, "control", c, &CONTROLS) {
            controls.push(c);
        }
    }
    let scenario = raw.scenario.get_ref();
    if let Some(t) = scenario.timeline.first() {
        cx.error(
            &t.span(),
            "a lab's scenario has no timeline: the learner acts, not a script",
            "move these steps to `[[solution]]` (or delete them)",
        );
    }
    let built = match scenario.build(source, seed) {
        Ok(sim) => Some(sim),
        Err(e) => {
            scenario_error(cx, &e);
            None
        }
    };
    let functions: Vec<String> = scenario
        .functions
        .iter()
        .map(|f| f.get_ref().name.clone())
        .collect();
    let queues: Vec<String> = scenario
        .queues
        .iter()
        .map(|q| q.get_ref().name.clone())
        .collect();
    let function = match &raw.function {
        Some(f) => {
            known(cx, f.span(), "function", f.get_ref(), &functions);
            f.get_ref().clone()
        }
        None => match functions.first() {
            Some(f) => f.clone(),
            None => {
                cx.error(
                    &raw.scenario.span(),
                    "the scenario defines no function",
                    "add a `[[scenario.functions]]` section",
                );
                String::new()
            }
        },
    };
    if raw.objectives.is_empty() {
        cx.error(
            &(0..0),
            "a lab needs at least one objective",
            "add an `[[objective]]` section",
        );
    }
    let mut ids = BTreeSet::new();
    let mut objectives = Vec::new();
    for o in &raw.objectives {
        let start = o.span().start;
        let ob = &o.get_ref().0;
        if ob.id.is_empty() || !ids.insert(ob.id.clone()) {
            cx.error(
                &key_at(source, start, "id"),
                format!("objective id `{}` is empty or used twice", ob.id),
                "give each objective its own id",
            );
        }
        if let Some(f) = ob.check.function() {
            known(
                cx,
                key_at(source, start, "function"),
                "function",
                f,
                &functions,
            );
        }
        if let Some(q) = ob.check.queue() {
            known(cx, key_at(source, start, "queue"), "queue", q, &queues);
        }
        if let Check::Count(c) = &ob.check {
            if !METRICS.contains(&c.metric.as_str()) {
                let hint = match closest(&c.metric, METRICS) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!("metrics: {}", METRICS.join(", ")),
                };
                cx.error(
                    &key_at(source, start, "metric"),
                    format!("unknown metric `{}`", c.metric),
                    hint,
                );
            }
        }
        objectives.push(ob.clone());
    }
    if raw.solution.is_empty() {
        cx.error(
            &(0..0),
            "a lab needs a reference solution",
            "add `[[solution]]` steps that complete every objective",
        );
    }
    let mut solution = Vec::new();
    for s in &raw.solution {
        let start = s.span().start;
        let step = s.get_ref().clone().with_default_function(&function);
        super::prove::check_step(cx, &step, &|k| key_at(source, start, k));
        if let Some(f) = step.function() {
            known(
                cx,
                key_at(source, start, "function"),
                "function",
                f,
                &functions,
            );
        }
        for q in step.queues() {
            let key = ["queue", "dead_letter_queue", "on_failure", "on_success"]
                .into_iter()
                .map(|k| key_at(source, start, k))
                .find(|r| !r.is_empty())
                .unwrap_or(start..start);
            known(cx, key, "queue", q, &queues);
        }
        solution.push(step);
    }
    built.as_ref()?;
    let (account, setup) = match scenario.setup_actions(source) {
        Ok(setup) => setup,
        Err(e) => {
            scenario_error(cx, &e);
            return None;
        }
    };
    let lab = Lab {
        id,
        title: raw.title,
        brief: raw.brief,
        function,
        controls,
        seed,
        account,
        setup,
        queues,
        objectives,
        hints: raw.hints,
        solution,
    };
    if let Err(e) = LabSession::new(Arc::new(lab.clone())) {
        cx.error(
            &raw.scenario.span(),
            format!("scenario: the world cannot be built: {e}"),
            "check the scenario's functions and roles",
        );
    } else if !cx.diagnostics.iter().any(Diagnostic::is_error) {
        // the lab is well formed: prove it solvable, and not solved by doing nothing
        let objective_at = |id: &str| {
            raw.objectives
                .iter()
                .find(|o| o.get_ref().0.id == id)
                .map_or(0..0, |o| key_at(source, o.span().start, "id"))
        };
        super::prove::prove(cx, &lab, &objective_at);
    }
    Some(lab)
}

fn known(cx: &mut Ctx<'_>, at: Range<usize>, what: &str, name: &str, names: &[String]) {
    if names.iter().any(|n| n == name) {
        return;
    }
    let hint = match closest(name, names.iter().map(String::as_str)) {
        Some(s) => format!("did you mean `{s}`?"),
        None if names.is_empty() => format!("the scenario defines no {what}"),
        None => format!("the scenario's {what}s: {}", names.join(", ")),
    };
    cx.error(&at, format!("unknown {what} `{name}`"), hint);
}
