//! Host functions a handler script may call. Each charges virtual time and checks the execution
//! role like the AWS SDK would (docs/lambda-behaviour.md §6.7).

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

use handler_lang::{
    json_to_value, mismatch, write_json_capped, Engine, Error, ErrorKind, HostObject, Map, Pos,
    Value,
};

use crate::clock::Micros;
use crate::host::{
    tmp_sizes, HostState, MAX_DYNAMODB_ITEM_BYTES, MAX_SERVICE_HELD_BYTES, MAX_SQS_MESSAGE_BYTES,
    MAX_TMP_FILES, MAX_TMP_HELD_BYTES,
};
use crate::services::{
    ConnectRefused, ConnectionUse, ObjectRefused, PutRefused, Table, Throttled, THROUGHPUT_EXCEEDED,
};
use crate::sqs::Message;

type Res<T> = Result<T, Error>;
type Host = Rc<RefCell<HostState>>;

/// A database connection held by a script (kept across warm starts when captured at top level).
#[derive(Debug, Clone)]
pub struct Connection {
    /// Database name.
    pub db: Rc<str>,
    /// Connection id: the same id on a warm start shows the connection was reused.
    pub id: i64,
}

impl HostObject for Connection {
    fn type_name(&self) -> &'static str {
        "Connection"
    }

    fn get(&self, name: &str) -> Option<Value> {
        (name == "id").then_some(Value::Int(self.id))
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

/// An error the script sees as `throw #{errorType, errorMessage}`.
pub fn aws_error(error_type: &str, message: &str) -> Error {
    let mut m = Map::new();
    m.insert("errorType".into(), error_type.into());
    m.insert("errorMessage".into(), message.into());
    Error::thrown(Value::map(m), Pos::NONE)
}

fn timeout() -> Error {
    Error::new(ErrorKind::Terminated, Pos::NONE)
}

/// The string argument `i`, or a mismatch.
fn text(a: &[Value], i: usize) -> Res<&str> {
    a.get(i).and_then(|v| v.as_str()).ok_or_else(mismatch)
}

/// The integer argument `i`, or a mismatch.
fn int(a: &[Value], i: usize) -> Res<i64> {
    match a.get(i) {
        Some(Value::Int(n)) => Ok(*n),
        _ => Err(mismatch()),
    }
}

/// Checks the number of arguments.
fn arity(a: &[Value], n: usize) -> Res<()> {
    if a.len() == n {
        Ok(())
    } else {
        Err(mismatch())
    }
}

/// Charges `us` of virtual time; past the deadline the call stops (it becomes a timeout).
fn charge(st: &mut HostState, us: Micros) -> Res<()> {
    st.call.elapsed_us += us;
    if st.call.used_us() > st.call.deadline_us {
        st.call.timed_out = true;
        return Err(timeout());
    }
    Ok(())
}

fn cpu_scaled(st: &HostState, ms: i64) -> Micros {
    let milli = st.call.cpu_milli.clamp(1, 1000) as u64;
    (ms.max(0) as u64) * 1000 * 1000 / milli
}

fn parse_item(text: &str) -> Value {
    serde_json::from_str::<serde_json::Value>(text)
        .map(|v| json_to_value(&v))
        .unwrap_or(Value::Unit)
}

/// A DynamoDB call's common part: the IAM check, the service latency charged, then the table
/// (`ResourceNotFoundException` when there is none) and the current time.
fn open_table<'a>(
    st: &'a mut HostState,
    action: &str,
    table: &str,
) -> Res<(&'a mut Table, Micros)> {
    dynamo_check(st, action, table)?;
    let lat = st.services.latencies().dynamodb_us;
    charge(st, lat)?;
    let now = st.call.now_us();
    let t = st.services.table_mut(table).ok_or_else(no_such_table)?;
    Ok((t, now))
}

fn no_such_table() -> Error {
    aws_error("ResourceNotFoundException", "Requested resource not found")
}

/// A table out of capacity fails as DynamoDB does.
fn throttled(_: Throttled) -> Error {
    aws_error(
        "ProvisionedThroughputExceededException",
        THROUGHPUT_EXCEEDED,
    )
}

fn dynamo_check(st: &mut HostState, action: &str, table: &str) -> Res<()> {
    let (region, account) = match &st.call.identity {
        Some(id) => (id.region.clone(), id.account.clone()),
        None => return Ok(()),
    };
    st.authorize_parts(
        action,
        &[
            "arn:aws:dynamodb:",
            &region,
            ":",
            &account,
            ":table/",
            table,
        ],
    )
    .map_err(|m| aws_error("AccessDeniedException", &m))
}

fn denied(st: &HostState, action: &str, resource: &str) -> Res<()> {
    st.authorize(action, resource)
        .map_err(|m| aws_error("AccessDeniedException", &m))
}

/// Registers the host functions.
pub fn register(engine: &mut Engine, host: &Host) {
    let h = host.clone();
    engine.register("log", move |a| {
        arity(a, 1)?;
        let mut st = h.borrow_mut();
        let t = st.call.used_us();
        // one line is at most a string's worth, refused before the text is built
        let line = a[0]
            .text_capped(crate::script_api::MAX_TEXT_BYTES)
            .ok_or_else(|| Error::new(ErrorKind::DataTooLarge("logged text"), Pos::NONE))?;
        st.call.log(t, line);
        Ok(Value::Unit)
    });
    let h = host.clone();
    engine.register("sleep", move |a| {
        arity(a, 1)?;
        let ms = int(a, 0)?;
        charge(&mut h.borrow_mut(), ms.max(0) as u64 * 1000)?;
        Ok(Value::Unit)
    });
    let h = host.clone();
    engine.register("compute", move |a| {
        arity(a, 1)?;
        let ms = int(a, 0)?;
        let mut st = h.borrow_mut();
        let us = cpu_scaled(&st, ms);
        charge(&mut st, us)?;
        Ok(Value::Unit)
    });
    let h = host.clone();
    engine.register("now_ms", move |a| {
        arity(a, 0)?;
        Ok(Value::Int((h.borrow().call.now_us() / 1000) as i64))
    });
    let h = host.clone();
    engine.register("exit", move |a| {
        arity(a, 1)?;
        int(a, 0)?;
        h.borrow_mut().call.exited = true;
        Err(aws_error(
            "Runtime.ExitError",
            "RequestId: Error: Runtime exited with error: exit status 1",
        ))
    });
    let h = host.clone();
    engine.register("background", move |a| {
        arity(a, 2)?;
        let (ms, label) = (int(a, 0)?, text(a, 1)?);
        let mut st = h.borrow_mut();
        let at = st.call.used_us();
        st.call.background = Some((label.to_string(), at, ms.max(0) as u64 * 1000));
        Ok(Value::Unit)
    });
    register_db(engine, host);
    register_aws(engine, host);
    register_tmp(engine, host);
}

fn register_db(engine: &mut Engine, host: &Host) {
    let h = host.clone();
    engine.register("connect", move |a| {
        arity(a, 1)?;
        let name = text(a, 0)?;
        let mut st = h.borrow_mut();
        let lat = st.services.latencies().connect_us;
        charge(&mut st, lat)?;
        let now = st.call.now_us();
        // docs/lambda-behaviour.md §5.6: 1,024 file descriptors per environment
        if st.call.fds_open + st.call.opened.len() as u32 >= crate::host::MAX_FILE_DESCRIPTORS {
            return Err(aws_error("Error", "EMFILE: too many open files, connect"));
        }
        let id = st.services.connect(name, now).map_err(|e| match e {
            ConnectRefused::NoSuchDatabase => {
                aws_error("Error", &format!("getaddrinfo ENOTFOUND {name}"))
            }
            ConnectRefused::TooManyClients => {
                aws_error("Error", "FATAL: sorry, too many clients already")
            }
        })?;
        st.call.opened.push((name.to_string(), id));
        Ok(Value::Host(Rc::new(Connection {
            db: name.into(),
            id,
        })))
    });
    let h = host.clone();
    engine.register("query", move |a| {
        arity(a, 2)?;
        let c = a[0].host::<Connection>().ok_or_else(mismatch)?;
        text(a, 1)?;
        let mut st = h.borrow_mut();
        let lat = st.services.latencies().query_us;
        charge(&mut st, lat)?;
        let now = st.call.now_us();
        if let Some(db) = st.services.database_mut(&c.db) {
            // docs/lambda-behaviour.md §3.14: a connection idle past the timeout is gone
            if db.query(c.id, now) == ConnectionUse::Closed {
                return Err(aws_error("Error", &db.closed_error()));
            }
        }
        Ok(Value::Unit)
    });
    let h = host.clone();
    engine.register("ping", move |a| {
        arity(a, 1)?;
        let c = a[0].host::<Connection>().ok_or_else(mismatch)?;
        let mut st = h.borrow_mut();
        // one round trip, like a query
        let lat = st.services.latencies().query_us;
        charge(&mut st, lat)?;
        let now = st.call.now_us();
        let open = st
            .services
            .database_mut(&c.db)
            .is_some_and(|db| db.use_connection(c.id, now) == ConnectionUse::Open);
        Ok(Value::Bool(open))
    });
}

fn register_aws(engine: &mut Engine, host: &Host) {
    let h = host.clone();
    engine.register("dynamodb_put", move |a| {
        arity(a, 2)?;
        let table = text(a, 0)?;
        let item = a[1].as_map().ok_or_else(mismatch)?;
        let mut st = h.borrow_mut();
        // (the table is checked first; the put finds it again after the item's checks)
        let (_, now) = open_table(&mut st, "dynamodb:PutItem", table)?;
        let pk = item.get("pk").map(|v| v.to_string()).ok_or_else(|| {
            aws_error(
                "ValidationException",
                "One of the required keys was not given a value",
            )
        })?;
        let mut json = String::with_capacity(64);
        if write_json_capped(&a[1], &mut json, MAX_DYNAMODB_ITEM_BYTES, false).is_err() {
            return Err(aws_error(
                "ValidationException",
                "Item size has exceeded the maximum allowed size",
            ));
        }
        match st.services.put_item(table, pk, json, now) {
            Some(Ok(())) => Ok(Value::Unit),
            Some(Err(PutRefused::Throttled)) => Err(throttled(Throttled)),
            Some(Err(PutRefused::HeldFull)) => Err(held_error()),
            None => Err(no_such_table()),
        }
    });
    let h = host.clone();
    engine.register("dynamodb_get", move |a| {
        arity(a, 2)?;
        let (table, pk) = (text(a, 0)?, text(a, 1)?);
        let mut st = h.borrow_mut();
        let (t, now) = open_table(&mut st, "dynamodb:GetItem", table)?;
        Ok(t.get(pk, now)
            .map_err(throttled)?
            .map(parse_item)
            .unwrap_or(Value::Unit))
    });
    let h = host.clone();
    engine.register("dynamodb_query", move |a| {
        arity(a, 2)?;
        let (table, prefix) = (text(a, 0)?, text(a, 1)?);
        let mut st = h.borrow_mut();
        let (t, now) = open_table(&mut st, "dynamodb:Query", table)?;
        let items: Vec<Value> = t
            .query(prefix, now)
            .map_err(throttled)?
            .map(parse_item)
            .collect();
        Ok(Value::array(items))
    });
    let h = host.clone();
    engine.register("s3_put", move |a| {
        arity(a, 3)?;
        let (bucket, key, body) = (text(a, 0)?, text(a, 1)?, &a[2]);
        let mut st = h.borrow_mut();
        denied(&st, "s3:PutObject", &format!("arn:aws:s3:::{bucket}/{key}"))?;
        let lat = st.services.latencies().s3_us;
        charge(&mut st, lat)?;
        let body = body
            .text_capped(crate::script_api::MAX_TEXT_BYTES)
            .ok_or_else(|| Error::new(ErrorKind::DataTooLarge("object body"), Pos::NONE))?;
        match st.services.put_object(bucket, key, body) {
            Ok(()) => Ok(Value::Unit),
            Err(ObjectRefused::NoSuchBucket) => Err(no_such_bucket()),
            Err(ObjectRefused::HeldFull) => Err(held_error()),
        }
    });
    let h = host.clone();
    engine.register("s3_get", move |a| {
        arity(a, 2)?;
        let (bucket, key) = (text(a, 0)?, text(a, 1)?);
        let mut st = h.borrow_mut();
        denied(&st, "s3:GetObject", &format!("arn:aws:s3:::{bucket}/{key}"))?;
        let lat = st.services.latencies().s3_us;
        charge(&mut st, lat)?;
        let b = st.services.bucket(bucket).ok_or_else(no_such_bucket)?;
        b.get(key)
            .map(Value::str)
            .ok_or_else(|| aws_error("NoSuchKey", "The specified key does not exist."))
    });
    let h = host.clone();
    engine.register("sqs_send", move |a| {
        arity(a, 2)?;
        let (queue, body) = (text(a, 0)?, &a[1]);
        let mut st = h.borrow_mut();
        let arn = format!("{}{queue}", st.arn("sqs"));
        denied(&st, "sqs:SendMessage", &arn)?;
        let lat = st.services.latencies().sqs_us;
        charge(&mut st, lat)?;
        let now = st.call.now_us();
        st.next_message_id += 1;
        let id = st.next_message_id;
        let body: Arc<str> = match body.as_str() {
            Some(s) if s.len() <= MAX_SQS_MESSAGE_BYTES => s.into(),
            Some(_) => return Err(sqs_too_long()),
            None => {
                let mut json = String::new();
                if write_json_capped(body, &mut json, MAX_SQS_MESSAGE_BYTES, false).is_err() {
                    return Err(sqs_too_long());
                }
                json.into()
            }
        };
        let chain = st.call.chain;
        let q = st.queues.get_mut(queue).ok_or_else(|| {
            aws_error(
                "AWS.SimpleQueueService.NonExistentQueue",
                "The specified queue does not exist.",
            )
        })?;
        // the message carries its chain of requests on (docs/lambda-behaviour.md §2.16)
        q.send_during_run(Message::new(id, body, now).with_chain(chain));
        st.arriving_sends = true;
        Ok(Value::Unit)
    });
}

fn no_such_bucket() -> Error {
    aws_error("NoSuchBucket", "The specified bucket does not exist")
}

/// The error of a write past what the simulator holds for handlers' data.
fn held_error() -> Error {
    Error::new(
        ErrorKind::Runtime(format!(
            "the simulator holds at most {} MiB of S3 objects and DynamoDB items written by handlers in one run",
            MAX_SERVICE_HELD_BYTES / (1024 * 1024)
        )),
        Pos::NONE,
    )
}

/// SQS's answer to a message over its size limit.
fn sqs_too_long() -> Error {
    aws_error(
        "InvalidParameterValue",
        &format!(
            "One or more parameters are invalid. Reason: Message must be shorter than {MAX_SQS_MESSAGE_BYTES} bytes."
        ),
    )
}

fn register_tmp(engine: &mut Engine, host: &Host) {
    let h = host.clone();
    engine.register("tmp_write", move |a| {
        arity(a, 2)?;
        let path = text(a, 0)?;
        let Value::Str(data) = &a[1] else {
            return Err(mismatch());
        };
        let mut st = h.borrow_mut();
        let (used, held) = tmp_sizes(&st.call.tmp, Some(path));
        if used + data.len() as u64 > st.call.tmp_limit_bytes {
            return Err(aws_error("Error", "ENOSPC: no space left on device, write"));
        }
        // the simulated limit may be 10 GB; the bytes the simulator holds are capped (a string
        // already held by another file costs nothing more)
        let shared = st.call.tmp.values().any(|v| Rc::ptr_eq(v, data));
        if (!shared && held + data.len() as u64 > MAX_TMP_HELD_BYTES)
            || (st.call.tmp.len() >= MAX_TMP_FILES && !st.call.tmp.contains_key(path))
        {
            return Err(Error::new(
                ErrorKind::Runtime(format!(
                    "the simulator holds at most {} MiB in {MAX_TMP_FILES} files of /tmp per environment (the function's ephemeral_storage_mb is the simulated limit)",
                    MAX_TMP_HELD_BYTES / (1024 * 1024)
                )),
                Pos::NONE,
            ));
        }
        charge(&mut st, 100 + data.len() as u64 / 1000)?;
        st.call.tmp.insert(path.to_string(), data.clone());
        Ok(Value::Unit)
    });
    let h = host.clone();
    engine.register("tmp_read", move |a| {
        arity(a, 1)?;
        let path = text(a, 0)?;
        let mut st = h.borrow_mut();
        charge(&mut st, 50)?;
        Ok(st
            .call
            .tmp
            .get(path)
            .map(|s| Value::Str(s.clone()))
            .unwrap_or(Value::Unit))
    });
    // base64, as Kinesis record `data` arrives (docs/lambda-behaviour.md §2.14): no time charged
    engine.register("base64_decode", move |a| {
        arity(a, 1)?;
        let bytes = crate::b64::decode(text(a, 0)?)
            .map_err(|e| aws_error("InvalidBase64", &format!("not base64: {e}")))?;
        Ok(Value::from(String::from_utf8_lossy(&bytes).into_owned()))
    });
    engine.register("base64_encode", move |a| {
        arity(a, 1)?;
        Ok(Value::from(crate::b64::encode(text(a, 0)?.as_bytes())))
    });
}

/// Longest string a script may build, in bytes (one log line, one `to_json`, one concatenation).
pub const MAX_TEXT_BYTES: usize = 1_000_000;
