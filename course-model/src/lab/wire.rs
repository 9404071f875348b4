//! Reading the lab the preprocessor embeds in the page (JSON written by serde) back into a [`Lab`],
//! by hand over the small [`Json`] tree.
//!
//! The lab page has a size budget (400 KB gzip of WASM + JS), and serde's derived readers cost
//! 67 KB gzip of it (measured with `cargo xtask size`: 439,695 bytes with them, 372,284 without):
//! tagged enums are read through a buffered copy of the document, once per variant type. This module is the browser's only reader of lab data; the round-trip tests
//! (`tests/lab_wire.rs`) prove it reads exactly what serde writes, for every variant.
//!
//! The reference solution is not read: the console never replays it, so [`Lab::solution`] is
//! empty in the browser.

use std::sync::Arc;

use lab_runtime::config::{Architecture, AsyncConfig, Extensions, SimSettings, VpcConfig};
use lab_runtime::esm_sqs::SqsMappingConfig;
use lab_runtime::esm_stream::StreamMappingConfig;
use lab_runtime::handler::{Dist, HandlerSpec, Profile};
use lab_runtime::model::{InvocationType, InvokeRequest, Trigger};
use lab_runtime::sqs::Redrive;
use lab_runtime::traffic::{Pattern, TrafficSpec};
use lab_runtime::{AccountConfig, Action, FunctionConfig};

use super::{Check, CountEvent, Lab, LoadTestCheck, Objective, Performance, CONTROLS};
use crate::json::Json;

/// Reads the lab JSON of a page. The error names the field, e.g.
/// "`setup`: item 2: `memory_mb`: expected a whole number from 0 to 4294967295".
pub fn lab_from_json(text: &str) -> Result<Lab, String> {
    let json = Json::parse(text).map_err(|e| e.to_string())?;
    let o = Obj::of(&json)?;
    Ok(Lab {
        id: o.get("id")?,
        title: o.get("title")?,
        brief: o.get("brief")?,
        function: o.get("function")?,
        controls: o.get("controls")?,
        seed: o.get("seed")?,
        account: o.get("account")?,
        setup: o.get("setup")?,
        queues: o.get("queues")?,
        objectives: o.get("objectives")?,
        hints: o.get("hints")?,
        solution: Vec::new(),
    })
}

/// A value that can be read from JSON as serde writes it.
trait Read: Sized {
    fn read(j: &Json) -> Result<Self, String>;

    /// The value of a field that is missing or `null`: an error, except for `Option`.
    fn absent() -> Result<Self, String> {
        Err("missing".into())
    }
}

/// The fields of an object.
struct Obj<'a>(&'a [(String, Json)]);

impl<'a> Obj<'a> {
    fn of(j: &'a Json) -> Result<Self, String> {
        j.as_object()
            .map(Obj)
            .ok_or_else(|| "expected an object".into())
    }

    /// The field `key`, read as `T`; the error starts with the key.
    fn get<T: Read>(&self, key: &str) -> Result<T, String> {
        let value = self
            .0
            .iter()
            .find(|(k, v)| k == key && *v != Json::Null)
            .map(|(_, v)| v);
        value
            .map_or_else(T::absent, T::read)
            .map_err(|e| format!("`{key}`: {e}"))
    }
}

/// `build!(o, Path, a, b)` is `Path { a: o.get("a")?, b: o.get("b")? }`: serde writes each field
/// under its own name, so the key cannot differ from the field.
macro_rules! build {
    ($o:expr, $($path:ident)::+, $($field:ident),* $(,)?) => {
        $($path)::+ { $($field: $o.get(stringify!($field))?),* }
    };
}

fn unknown<T>(what: &str, name: &str) -> Result<T, String> {
    Err(format!("unknown {what} `{name}`"))
}

impl Read for String {
    fn read(j: &Json) -> Result<Self, String> {
        j.as_str()
            .map(str::to_owned)
            .ok_or_else(|| "expected a string".into())
    }
}

impl Read for Arc<str> {
    fn read(j: &Json) -> Result<Self, String> {
        String::read(j).map(Into::into)
    }
}

impl Read for bool {
    fn read(j: &Json) -> Result<Self, String> {
        j.as_bool().ok_or_else(|| "expected true or false".into())
    }
}

impl Read for f64 {
    fn read(j: &Json) -> Result<Self, String> {
        j.as_f64().ok_or_else(|| "expected a number".into())
    }
}

/// A whole number in `min..=max` (JSON numbers are doubles: exact up to 2^53).
fn whole(j: &Json, min: f64, max: f64) -> Result<f64, String> {
    match j.as_f64() {
        Some(n) if n.fract() == 0.0 && n >= min && n <= max => Ok(n),
        _ => Err(format!("expected a whole number from {min} to {max}")),
    }
}

/// 2^53: the largest double below which every whole number is exact.
const EXACT: f64 = 9_007_199_254_740_992.0;

impl Read for u32 {
    fn read(j: &Json) -> Result<Self, String> {
        whole(j, 0.0, u32::MAX as f64).map(|n| n as u32)
    }
}

impl Read for u64 {
    fn read(j: &Json) -> Result<Self, String> {
        whole(j, 0.0, EXACT).map(|n| n as u64)
    }
}

impl Read for usize {
    fn read(j: &Json) -> Result<Self, String> {
        whole(j, 0.0, (usize::MAX as f64).min(EXACT)).map(|n| n as usize)
    }
}

impl Read for i64 {
    fn read(j: &Json) -> Result<Self, String> {
        whole(j, -EXACT, EXACT).map(|n| n as i64)
    }
}

impl<T: Read> Read for Option<T> {
    fn read(j: &Json) -> Result<Self, String> {
        T::read(j).map(Some)
    }

    fn absent() -> Result<Self, String> {
        Ok(None)
    }
}

impl<T: Read> Read for Box<T> {
    fn read(j: &Json) -> Result<Self, String> {
        T::read(j).map(Box::new)
    }
}

impl<T: Read> Read for Vec<T> {
    fn read(j: &Json) -> Result<Self, String> {
        let items = j.as_array().ok_or("expected an array")?;
        items
            .iter()
            .enumerate()
            .map(|(i, item)| T::read(item).map_err(|e| format!("item {i}: {e}")))
            .collect()
    }
}

impl Read for [f64; 2] {
    fn read(j: &Json) -> Result<Self, String> {
        match Vec::<f64>::read(j)?.as_slice() {
            [a, b] => Ok([*a, *b]),
            _ => Err("expected two numbers".into()),
        }
    }
}

impl Read for super::Control {
    fn read(j: &Json) -> Result<Self, String> {
        let name = String::read(j)?;
        match CONTROLS.iter().find(|(n, _)| *n == name) {
            Some((_, c)) => Ok(*c),
            None => unknown("control", &name),
        }
    }
}

impl Read for AccountConfig {
    fn read(j: &Json) -> Result<Self, String> {
        let o = Obj::of(j)?;
        Ok(build!(
            o,
            AccountConfig,
            id,
            region,
            concurrency_limit,
            settings
        ))
    }
}

impl Read for SimSettings {
    fn read(j: &Json) -> Result<Self, String> {
        let o = Obj::of(j)?;
        Ok(build!(
            o,
            SimSettings,
            keep_alive_us,
            recycle_after_us,
            init_limit_us,
            provisioned_init_limit_us,
            log_window,
            record_window,
            metrics_bucket_us,
            metrics_max_buckets,
            client_retries,
            async_dispatch_delay_us,
            script_op_cost_ns,
            throttle_retry_after_s
        ))
    }
}

impl Read for Action {
    fn read(j: &Json) -> Result<Self, String> {
        let o = Obj::of(j)?;
        let action = o.get::<String>("action")?;
        Ok(match action.as_str() {
            "invoke" => Action::Invoke(InvokeRequest::read(j)?),
            "create_role" => build!(o, Action::CreateRole, name, trust_policy, policies, managed),
            "put_role_policy" => build!(o, Action::PutRolePolicy, role, policy),
            "update_assume_role_policy" => {
                build!(o, Action::UpdateAssumeRolePolicy, role, policy)
            }
            "attach_role_policy" => build!(o, Action::AttachRolePolicy, role, managed),
            "create_function" => Action::CreateFunction(Box::read(j)?),
            "update_function_configuration" => Action::UpdateFunctionConfiguration(Box::read(j)?),
            "update_function_code" => build!(o, Action::UpdateFunctionCode, function, handler),
            "put_function_concurrency" => {
                build!(o, Action::PutFunctionConcurrency, function, reserved)
            }
            "put_provisioned_concurrency" => {
                build!(o, Action::PutProvisionedConcurrency, function, amount)
            }
            "put_event_invoke_config" => {
                build!(o, Action::PutEventInvokeConfig, function, config)
            }
            "put_function_policy" => build!(o, Action::PutFunctionPolicy, function, policy),
            "add_permission" => build!(
                o,
                Action::AddPermission,
                function,
                sid,
                principal,
                source_arn,
                source_account
            ),
            "create_queue" => build!(o, Action::CreateQueue, name, visibility_timeout_s, redrive),
            "send_messages" => build!(o, Action::SendMessages, queue, body, count),
            "create_table" => build!(o, Action::CreateTable, name, read_per_s, write_per_s),
            "create_bucket" => build!(o, Action::CreateBucket, name),
            "create_database" => build!(o, Action::CreateDatabase, name, max_connections),
            "create_sqs_mapping" => Action::CreateSqsMapping(SqsMappingConfig::read(j)?),
            "create_stream_mapping" => Action::CreateStreamMapping(StreamMappingConfig::read(j)?),
            "put_records" => build!(o, Action::PutRecords, stream, records, partition_keys),
            "start_traffic" => Action::StartTraffic(TrafficSpec::read(j)?),
            "update_settings" => Action::UpdateSettings(Box::read(j)?),
            "stop_traffic" => build!(o, Action::StopTraffic, id),
            other => return unknown("action", other),
        })
    }
}

impl Read for InvocationType {
    fn read(j: &Json) -> Result<Self, String> {
        let name = String::read(j)?;
        Ok(match name.as_str() {
            "RequestResponse" => InvocationType::RequestResponse,
            "Event" => InvocationType::Event,
            "DryRun" => InvocationType::DryRun,
            _ => return unknown("invocation type", &name),
        })
    }
}

impl Read for InvokeRequest {
    fn read(j: &Json) -> Result<Self, String> {
        let o = Obj::of(j)?;
        Ok(build!(
            o,
            InvokeRequest,
            function,
            invocation_type,
            payload,
            principal,
            source_arn,
            source_account
        ))
    }
}

impl Read for FunctionConfig {
    fn read(j: &Json) -> Result<Self, String> {
        let o = Obj::of(j)?;
        Ok(build!(
            o,
            FunctionConfig,
            name,
            memory_mb,
            timeout_s,
            ephemeral_storage_mb,
            reserved_concurrency,
            provisioned_concurrency,
            role,
            architecture,
            vpc,
            async_config,
            handler,
            extensions
        ))
    }
}

impl Read for Architecture {
    fn read(j: &Json) -> Result<Self, String> {
        let name = String::read(j)?;
        Ok(match name.as_str() {
            "x86_64" => Architecture::X86_64,
            "arm64" => Architecture::Arm64,
            _ => return unknown("architecture", &name),
        })
    }
}

impl Read for Extensions {
    fn read(j: &Json) -> Result<Self, String> {
        let name = String::read(j)?;
        Ok(match name.as_str() {
            "none" => Extensions::None,
            "internal" => Extensions::Internal,
            "external" => Extensions::External,
            _ => return unknown("extensions", &name),
        })
    }
}

impl Read for VpcConfig {
    fn read(j: &Json) -> Result<Self, String> {
        let o = Obj::of(j)?;
        Ok(build!(o, VpcConfig, subnet_ids, security_group_ids))
    }
}

impl Read for AsyncConfig {
    fn read(j: &Json) -> Result<Self, String> {
        let o = Obj::of(j)?;
        Ok(build!(
            o,
            AsyncConfig,
            maximum_retry_attempts,
            maximum_event_age_s,
            on_success,
            on_failure,
            dead_letter_queue
        ))
    }
}

/// The one `(name, value)` pair of an externally tagged enum, e.g. `{"script": "…"}`.
fn variant(j: &Json) -> Result<(&str, &Json), String> {
    match j.as_object() {
        Some([(name, value)]) => Ok((name, value)),
        _ => Err("expected an object with one key".into()),
    }
}

impl Read for HandlerSpec {
    fn read(j: &Json) -> Result<Self, String> {
        let (name, value) = variant(j)?;
        Ok(match name {
            "profile" => HandlerSpec::Profile(Profile::read(value)?),
            "script" => HandlerSpec::Script(String::read(value)?),
            _ => return unknown("handler", name),
        })
    }
}

impl Read for Profile {
    fn read(j: &Json) -> Result<Self, String> {
        let o = Obj::of(j)?;
        Ok(build!(
            o,
            Profile,
            init_ms,
            duration_ms,
            error_rate,
            error_type,
            error_message,
            max_memory_used_mb
        ))
    }
}

impl Read for Dist {
    fn read(j: &Json) -> Result<Self, String> {
        let (name, value) = variant(j)?;
        Ok(match name {
            "fixed" => Dist::Fixed(f64::read(value)?),
            "uniform" => Dist::Uniform(<[f64; 2]>::read(value)?),
            "normal" => Dist::Normal(<[f64; 2]>::read(value)?),
            "exponential" => Dist::Exponential(f64::read(value)?),
            _ => return unknown("distribution", name),
        })
    }
}

impl Read for Redrive {
    fn read(j: &Json) -> Result<Self, String> {
        let o = Obj::of(j)?;
        Ok(build!(o, Redrive, dead_letter_queue, max_receive_count))
    }
}

impl Read for SqsMappingConfig {
    fn read(j: &Json) -> Result<Self, String> {
        let o = Obj::of(j)?;
        Ok(build!(
            o,
            SqsMappingConfig,
            queue,
            function,
            batch_size,
            batching_window_s,
            report_batch_item_failures,
            maximum_concurrency
        ))
    }
}

impl Read for StreamMappingConfig {
    fn read(j: &Json) -> Result<Self, String> {
        let o = Obj::of(j)?;
        Ok(build!(
            o,
            StreamMappingConfig,
            stream,
            function,
            batch_size,
            maximum_retry_attempts,
            maximum_record_age_s,
            bisect_batch_on_function_error,
            on_failure,
            parallelization_factor
        ))
    }
}

impl Read for TrafficSpec {
    fn read(j: &Json) -> Result<Self, String> {
        let o = Obj::of(j)?;
        Ok(build!(
            o,
            TrafficSpec,
            function,
            invocation_type,
            payload,
            principal,
            pattern,
            max_requests
        ))
    }
}

impl Read for Pattern {
    fn read(j: &Json) -> Result<Self, String> {
        let o = Obj::of(j)?;
        let kind = o.get::<String>("kind")?;
        Ok(match kind.as_str() {
            "once" => Pattern::Once,
            "burst" => build!(o, Pattern::Burst, count),
            "constant" => build!(o, Pattern::Constant, rate_per_s, duration_s),
            "ramp" => build!(o, Pattern::Ramp, from_per_s, to_per_s, duration_s),
            "poisson" => build!(o, Pattern::Poisson, rate_per_s, duration_s),
            "sqs_backlog" => build!(o, Pattern::SqsBacklog, queue, count),
            other => return unknown("traffic pattern", other),
        })
    }
}

impl Read for Objective {
    fn read(j: &Json) -> Result<Self, String> {
        let o = Obj::of(j)?;
        Ok(Objective {
            id: o.get("id")?,
            text: o.get("text")?,
            check: Check::read(j)?,
        })
    }
}

impl Read for Check {
    fn read(j: &Json) -> Result<Self, String> {
        let o = Obj::of(j)?;
        let check = o.get::<String>("check")?;
        Ok(match check.as_str() {
            "cold_then_warm" => build!(o, Check::ColdThenWarm, function),
            "cold_after_idle" => build!(o, Check::ColdAfterIdle, function, min_idle_s),
            "concurrent_cold_starts" => {
                build!(o, Check::ConcurrentColdStarts, function, at_least)
            }
            "count" => Check::Count(build!(
                o,
                CountEvent,
                function,
                metric,
                at_least,
                error_type,
                trigger,
                since_change
            )),
            "rejected" => build!(o, Check::Rejected, function, error),
            "dlq" => build!(o, Check::Dlq, function, queue, attempts),
            "queue_messages" => build!(o, Check::QueueMessages, queue, at_least),
            "performance" => Check::Performance(build!(
                o,
                Performance,
                function,
                min_invocations,
                warm_only,
                max_p99_ms,
                max_avg_ms,
                max_cost_per_invocation_usd,
                no_errors
            )),
            "load_test" => Check::LoadTest(build!(
                o,
                LoadTestCheck,
                function,
                min_rate_per_s,
                min_duration_s,
                max_errors,
                min_errors,
                max_throttles,
                max_cost_usd
            )),
            other => return unknown("check", other),
        })
    }
}

impl Read for Trigger {
    fn read(j: &Json) -> Result<Self, String> {
        let name = String::read(j)?;
        Ok(match name.as_str() {
            "sync" => Trigger::Sync,
            "async" => Trigger::Async,
            "sqs" => Trigger::Sqs,
            "stream" => Trigger::Stream,
            "dry_run" => Trigger::DryRun,
            _ => return unknown("trigger", &name),
        })
    }
}
