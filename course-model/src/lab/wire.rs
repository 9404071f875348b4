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

    /// The string in the tag field `key` (`"action"`, `"check"`, `"kind"`).
    fn tag(&self, key: &str) -> Result<String, String> {
        self.get(key)
    }
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
        Ok(AccountConfig {
            id: o.get("id")?,
            region: o.get("region")?,
            concurrency_limit: o.get("concurrency_limit")?,
            settings: o.get("settings")?,
        })
    }
}

impl Read for SimSettings {
    fn read(j: &Json) -> Result<Self, String> {
        let o = Obj::of(j)?;
        Ok(SimSettings {
            keep_alive_us: o.get("keep_alive_us")?,
            recycle_after_us: o.get("recycle_after_us")?,
            init_limit_us: o.get("init_limit_us")?,
            provisioned_init_limit_us: o.get("provisioned_init_limit_us")?,
            log_window: o.get("log_window")?,
            record_window: o.get("record_window")?,
            metrics_bucket_us: o.get("metrics_bucket_us")?,
            metrics_max_buckets: o.get("metrics_max_buckets")?,
            client_retries: o.get("client_retries")?,
            async_dispatch_delay_us: o.get("async_dispatch_delay_us")?,
            script_op_cost_ns: o.get("script_op_cost_ns")?,
            throttle_retry_after_s: o.get("throttle_retry_after_s")?,
        })
    }
}

impl Read for Action {
    fn read(j: &Json) -> Result<Self, String> {
        let o = Obj::of(j)?;
        let action = o.tag("action")?;
        Ok(match action.as_str() {
            "invoke" => Action::Invoke(InvokeRequest::read(j)?),
            "create_role" => Action::CreateRole {
                name: o.get("name")?,
                trust_policy: o.get("trust_policy")?,
                policies: o.get("policies")?,
                managed: o.get("managed")?,
            },
            "put_role_policy" => Action::PutRolePolicy {
                role: o.get("role")?,
                policy: o.get("policy")?,
            },
            "update_assume_role_policy" => Action::UpdateAssumeRolePolicy {
                role: o.get("role")?,
                policy: o.get("policy")?,
            },
            "attach_role_policy" => Action::AttachRolePolicy {
                role: o.get("role")?,
                managed: o.get("managed")?,
            },
            "create_function" => Action::CreateFunction(Box::read(j)?),
            "update_function_configuration" => Action::UpdateFunctionConfiguration(Box::read(j)?),
            "update_function_code" => Action::UpdateFunctionCode {
                function: o.get("function")?,
                handler: o.get("handler")?,
            },
            "put_function_concurrency" => Action::PutFunctionConcurrency {
                function: o.get("function")?,
                reserved: o.get("reserved")?,
            },
            "put_provisioned_concurrency" => Action::PutProvisionedConcurrency {
                function: o.get("function")?,
                amount: o.get("amount")?,
            },
            "put_event_invoke_config" => Action::PutEventInvokeConfig {
                function: o.get("function")?,
                config: o.get("config")?,
            },
            "put_function_policy" => Action::PutFunctionPolicy {
                function: o.get("function")?,
                policy: o.get("policy")?,
            },
            "add_permission" => Action::AddPermission {
                function: o.get("function")?,
                sid: o.get("sid")?,
                principal: o.get("principal")?,
                source_arn: o.get("source_arn")?,
                source_account: o.get("source_account")?,
            },
            "create_queue" => Action::CreateQueue {
                name: o.get("name")?,
                visibility_timeout_s: o.get("visibility_timeout_s")?,
                redrive: o.get("redrive")?,
            },
            "send_messages" => Action::SendMessages {
                queue: o.get("queue")?,
                body: o.get("body")?,
                count: o.get("count")?,
            },
            "create_table" => Action::CreateTable {
                name: o.get("name")?,
                read_per_s: o.get("read_per_s")?,
                write_per_s: o.get("write_per_s")?,
            },
            "create_bucket" => Action::CreateBucket {
                name: o.get("name")?,
            },
            "create_database" => Action::CreateDatabase {
                name: o.get("name")?,
                max_connections: o.get("max_connections")?,
            },
            "create_sqs_mapping" => Action::CreateSqsMapping(SqsMappingConfig::read(j)?),
            "create_stream_mapping" => Action::CreateStreamMapping(StreamMappingConfig::read(j)?),
            "put_records" => Action::PutRecords {
                stream: o.get("stream")?,
                records: o.get("records")?,
                partition_keys: o.get("partition_keys")?,
            },
            "start_traffic" => Action::StartTraffic(TrafficSpec::read(j)?),
            "update_settings" => Action::UpdateSettings(Box::read(j)?),
            "stop_traffic" => Action::StopTraffic { id: o.get("id")? },
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
        Ok(InvokeRequest {
            function: o.get("function")?,
            invocation_type: o.get("invocation_type")?,
            payload: o.get("payload")?,
            principal: o.get("principal")?,
            source_arn: o.get("source_arn")?,
            source_account: o.get("source_account")?,
        })
    }
}

impl Read for FunctionConfig {
    fn read(j: &Json) -> Result<Self, String> {
        let o = Obj::of(j)?;
        Ok(FunctionConfig {
            name: o.get("name")?,
            memory_mb: o.get("memory_mb")?,
            timeout_s: o.get("timeout_s")?,
            ephemeral_storage_mb: o.get("ephemeral_storage_mb")?,
            reserved_concurrency: o.get("reserved_concurrency")?,
            provisioned_concurrency: o.get("provisioned_concurrency")?,
            role: o.get("role")?,
            architecture: o.get("architecture")?,
            vpc: o.get("vpc")?,
            async_config: o.get("async_config")?,
            handler: o.get("handler")?,
            extensions: o.get("extensions")?,
        })
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
        Ok(VpcConfig {
            subnet_ids: o.get("subnet_ids")?,
            security_group_ids: o.get("security_group_ids")?,
        })
    }
}

impl Read for AsyncConfig {
    fn read(j: &Json) -> Result<Self, String> {
        let o = Obj::of(j)?;
        Ok(AsyncConfig {
            maximum_retry_attempts: o.get("maximum_retry_attempts")?,
            maximum_event_age_s: o.get("maximum_event_age_s")?,
            on_success: o.get("on_success")?,
            on_failure: o.get("on_failure")?,
            dead_letter_queue: o.get("dead_letter_queue")?,
        })
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
        Ok(Profile {
            init_ms: o.get("init_ms")?,
            duration_ms: o.get("duration_ms")?,
            error_rate: o.get("error_rate")?,
            error_type: o.get("error_type")?,
            error_message: o.get("error_message")?,
            max_memory_used_mb: o.get("max_memory_used_mb")?,
        })
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
        Ok(Redrive {
            dead_letter_queue: o.get("dead_letter_queue")?,
            max_receive_count: o.get("max_receive_count")?,
        })
    }
}

impl Read for SqsMappingConfig {
    fn read(j: &Json) -> Result<Self, String> {
        let o = Obj::of(j)?;
        Ok(SqsMappingConfig {
            queue: o.get("queue")?,
            function: o.get("function")?,
            batch_size: o.get("batch_size")?,
            batching_window_s: o.get("batching_window_s")?,
            report_batch_item_failures: o.get("report_batch_item_failures")?,
            maximum_concurrency: o.get("maximum_concurrency")?,
        })
    }
}

impl Read for StreamMappingConfig {
    fn read(j: &Json) -> Result<Self, String> {
        let o = Obj::of(j)?;
        Ok(StreamMappingConfig {
            stream: o.get("stream")?,
            function: o.get("function")?,
            batch_size: o.get("batch_size")?,
            maximum_retry_attempts: o.get("maximum_retry_attempts")?,
            maximum_record_age_s: o.get("maximum_record_age_s")?,
            bisect_batch_on_function_error: o.get("bisect_batch_on_function_error")?,
            on_failure: o.get("on_failure")?,
            parallelization_factor: o.get("parallelization_factor")?,
        })
    }
}

impl Read for TrafficSpec {
    fn read(j: &Json) -> Result<Self, String> {
        let o = Obj::of(j)?;
        Ok(TrafficSpec {
            function: o.get("function")?,
            invocation_type: o.get("invocation_type")?,
            payload: o.get("payload")?,
            principal: o.get("principal")?,
            pattern: o.get("pattern")?,
            max_requests: o.get("max_requests")?,
        })
    }
}

impl Read for Pattern {
    fn read(j: &Json) -> Result<Self, String> {
        let o = Obj::of(j)?;
        let kind = o.tag("kind")?;
        Ok(match kind.as_str() {
            "once" => Pattern::Once,
            "burst" => Pattern::Burst {
                count: o.get("count")?,
            },
            "constant" => Pattern::Constant {
                rate_per_s: o.get("rate_per_s")?,
                duration_s: o.get("duration_s")?,
            },
            "ramp" => Pattern::Ramp {
                from_per_s: o.get("from_per_s")?,
                to_per_s: o.get("to_per_s")?,
                duration_s: o.get("duration_s")?,
            },
            "poisson" => Pattern::Poisson {
                rate_per_s: o.get("rate_per_s")?,
                duration_s: o.get("duration_s")?,
            },
            "sqs_backlog" => Pattern::SqsBacklog {
                queue: o.get("queue")?,
                count: o.get("count")?,
            },
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
        let check = o.tag("check")?;
        Ok(match check.as_str() {
            "cold_then_warm" => Check::ColdThenWarm {
                function: o.get("function")?,
            },
            "cold_after_idle" => Check::ColdAfterIdle {
                function: o.get("function")?,
                min_idle_s: o.get("min_idle_s")?,
            },
            "concurrent_cold_starts" => Check::ConcurrentColdStarts {
                function: o.get("function")?,
                at_least: o.get("at_least")?,
            },
            "count" => Check::Count(CountEvent {
                function: o.get("function")?,
                metric: o.get("metric")?,
                at_least: o.get("at_least")?,
                error_type: o.get("error_type")?,
                trigger: o.get("trigger")?,
                since_change: o.get("since_change")?,
            }),
            "rejected" => Check::Rejected {
                function: o.get("function")?,
                error: o.get("error")?,
            },
            "dlq" => Check::Dlq {
                function: o.get("function")?,
                queue: o.get("queue")?,
                attempts: o.get("attempts")?,
            },
            "queue_messages" => Check::QueueMessages {
                queue: o.get("queue")?,
                at_least: o.get("at_least")?,
            },
            "performance" => Check::Performance(Performance {
                function: o.get("function")?,
                min_invocations: o.get("min_invocations")?,
                warm_only: o.get("warm_only")?,
                max_p99_ms: o.get("max_p99_ms")?,
                max_avg_ms: o.get("max_avg_ms")?,
                max_cost_per_invocation_usd: o.get("max_cost_per_invocation_usd")?,
                no_errors: o.get("no_errors")?,
            }),
            "load_test" => Check::LoadTest(LoadTestCheck {
                function: o.get("function")?,
                min_rate_per_s: o.get("min_rate_per_s")?,
                min_duration_s: o.get("min_duration_s")?,
                max_errors: o.get("max_errors")?,
                min_errors: o.get("min_errors")?,
                max_throttles: o.get("max_throttles")?,
                max_cost_usd: o.get("max_cost_usd")?,
            }),
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
