//! Simulated downstream services the handlers call: a DynamoDB-like table with limited capacity, an
//! S3-like store and a relational database with a connection limit (issue 4, "backend capacity").
//! Each model keeps its state and its rules: a table's capacity, throttles and item bound, a
//! bucket's objects, a database's connections, idle timeout and counters, and the bytes of
//! handlers' data the simulator holds for all of them. The host functions (`crate::script_api`)
//! charge time, check IAM and turn a model's refusal into the error the SDK shows.

use litemap::LiteMap;
use serde::{Deserialize, Serialize};

use crate::clock::{Micros, SEC};

/// The real DynamoDB throttling message.
pub const THROUGHPUT_EXCEEDED: &str = "The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.";

/// Bytes of S3 objects and DynamoDB items written by handlers the simulator holds in one run.
pub const MAX_SERVICE_HELD_BYTES: u64 = 64 * 1024 * 1024;

/// Items a table holds at most (beyond it a put of a new key stores nothing: memory stays
/// bounded).
pub const MAX_TABLE_ITEMS: usize = 100_000;

/// Per-second capacity accounting that accepts calls out of time order (handlers run to
/// completion natively, so their calls arrive in start order, not call-time order).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Capacity {
    /// Units per second (0 = unlimited).
    per_second: u64,
    used: LiteMap<u64, u64>,
}

impl Capacity {
    /// Capacity of `per_second` units (0 = unlimited).
    pub fn new(per_second: u64) -> Self {
        Self {
            per_second,
            used: LiteMap::new(),
        }
    }

    /// Consumes one unit at time `t`; false when that second is already full.
    pub fn take(&mut self, t: Micros) -> bool {
        if self.per_second == 0 {
            return true;
        }
        let sec = t / SEC;
        if self.used.len() > 64 {
            // forget seconds far behind: memory stays bounded
            let keep_from = sec.saturating_sub(30);
            self.used.retain(|s, _| *s >= keep_from);
        }
        let u = self.used.entry(sec).or_insert(0);
        if *u >= self.per_second {
            false
        } else {
            *u += 1;
            true
        }
    }
}

/// The bytes of handlers' data (S3 objects, DynamoDB items) the simulator holds, under one bound
/// shared by every table and bucket ([`MAX_SERVICE_HELD_BYTES`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeldBytes {
    bytes: u64,
    limit: u64,
}

impl Default for HeldBytes {
    fn default() -> Self {
        Self::with_limit(MAX_SERVICE_HELD_BYTES)
    }
}

/// A write refused because the simulator would hold more than its bound of handlers' data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HeldFull;

impl HeldBytes {
    /// Nothing held yet, at most `limit` bytes.
    pub fn with_limit(limit: u64) -> Self {
        Self { bytes: 0, limit }
    }

    /// Bytes held now.
    #[inline]
    pub fn bytes(&self) -> u64 {
        self.bytes
    }

    /// A value of `old` bytes is replaced by one of `new` bytes; refused (nothing changes) when
    /// that would hold more than the bound.
    #[inline]
    fn replace(&mut self, old: u64, new: u64) -> Result<(), HeldFull> {
        let held = self.bytes - old.min(self.bytes) + new;
        if held > self.limit {
            return Err(HeldFull);
        }
        self.bytes = held;
        Ok(())
    }
}

/// A table call refused for want of capacity: DynamoDB's
/// `ProvisionedThroughputExceededException` ([`THROUGHPUT_EXCEEDED`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Throttled;

/// Why a table refused a put.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PutRefused {
    /// No write capacity left in that second.
    Throttled,
    /// The simulator holds its bound of handlers' data.
    HeldFull,
}

/// A DynamoDB-like table: items keyed by their partition key `pk`, with read and write capacity
/// per second (docs/lambda-behaviour.md §5.7).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Table {
    name: String,
    /// Items by partition key (values are JSON text).
    items: LiteMap<String, String>,
    write: Capacity,
    read: Capacity,
    /// Calls rejected with `ProvisionedThroughputExceededException`.
    throttled: u64,
    /// Bound on stored items ([`MAX_TABLE_ITEMS`]).
    max_items: usize,
}

impl Table {
    /// A table with the given capacities (0 = on-demand, unlimited).
    pub fn new(name: &str, read_per_s: u64, write_per_s: u64) -> Self {
        Self {
            name: name.into(),
            items: LiteMap::new(),
            write: Capacity::new(write_per_s),
            read: Capacity::new(read_per_s),
            throttled: 0,
            max_items: MAX_TABLE_ITEMS,
        }
    }

    /// Its name.
    #[inline]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Items stored.
    #[inline]
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether it stores no item.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Calls refused with `ProvisionedThroughputExceededException`.
    #[inline]
    pub fn throttled(&self) -> u64 {
        self.throttled
    }

    /// The item of key `pk` as JSON text, without using capacity (what the console reads).
    #[inline]
    pub fn item(&self, pk: &str) -> Option<&str> {
        self.items.get(pk).map(String::as_str)
    }

    /// Takes one read (or write) capacity unit at `now`, or counts a throttle.
    #[inline]
    fn take(&mut self, write: bool, now: Micros) -> Result<(), Throttled> {
        let capacity = if write {
            &mut self.write
        } else {
            &mut self.read
        };
        if capacity.take(now) {
            return Ok(());
        }
        self.throttled += 1;
        Err(Throttled)
    }

    /// `GetItem` at `now`: one read unit, then the item of key `pk` (JSON text), if any.
    #[inline]
    pub fn get(&mut self, pk: &str, now: Micros) -> Result<Option<&str>, Throttled> {
        self.take(false, now)?;
        Ok(self.item(pk))
    }

    /// `Query` at `now`: one read unit, then the items whose key starts with `prefix`, in key
    /// order (items are sorted by key: a prefix's items are the run from its place).
    #[inline]
    pub fn query<'a>(
        &'a mut self,
        prefix: &'a str,
        now: Micros,
    ) -> Result<impl Iterator<Item = &'a str> + 'a, Throttled> {
        self.take(false, now)?;
        let from = self.items.find_index(prefix).unwrap_or_else(|at| at);
        Ok(self.items.as_slice()[from..]
            .iter()
            .take_while(move |(k, _)| k.starts_with(prefix))
            .map(|(_, v)| v.as_str()))
    }

    /// `PutItem` at `now` of item `json` under key `pk`: one write unit, then the item is stored
    /// (replacing the key's item) with its bytes counted in `held`. A table at its item bound
    /// stores no new key and says nothing (the call succeeds).
    #[inline]
    pub fn put(
        &mut self,
        pk: String,
        json: String,
        now: Micros,
        held: &mut HeldBytes,
    ) -> Result<(), PutRefused> {
        self.take(true, now).map_err(|_| PutRefused::Throttled)?;
        if self.items.len() < self.max_items || self.items.contains_key(&pk) {
            let old = self.items.get(&pk).map_or(0, |v| v.len() as u64);
            held.replace(old, json.len() as u64)
                .map_err(|_| PutRefused::HeldFull)?;
            self.items.insert(pk, json);
        }
        Ok(())
    }
}

/// An S3-like bucket: object bodies by key.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Bucket {
    objects: LiteMap<String, String>,
}

impl Bucket {
    /// `GetObject`: the body of `key`, if any.
    #[inline]
    pub fn get(&self, key: &str) -> Option<&str> {
        self.objects.get(key).map(String::as_str)
    }

    /// Objects stored.
    #[inline]
    pub fn len(&self) -> usize {
        self.objects.len()
    }

    /// Whether it stores no object.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.objects.is_empty()
    }

    /// `PutObject`: stores `body` under `key` (replacing the key's object), its bytes counted in
    /// `held`.
    #[inline]
    pub fn put(&mut self, key: &str, body: String, held: &mut HeldBytes) -> Result<(), HeldFull> {
        let old = self.objects.get(key).map_or(0, |v| v.len() as u64);
        held.replace(old, body.len() as u64)?;
        self.objects.insert(key.to_string(), body);
        Ok(())
    }
}

/// Why a bucket refused a put.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObjectRefused {
    /// There is no such bucket.
    NoSuchBucket,
    /// The simulator holds its bound of handlers' data.
    HeldFull,
}

/// A relational database with a maximum number of connections that closes connections left idle
/// longer than its idle timeout (docs/lambda-behaviour.md §3.14): a connection an environment kept
/// from Init may be gone after the environment sat frozen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Database {
    name: String,
    max_connections: u32,
    /// A connection unused for longer than this is closed by the database (0 = never).
    #[serde(default)]
    idle_timeout_us: Micros,
    /// Open connections now.
    open: u32,
    /// Connections ever opened.
    opened_total: u64,
    /// Connection attempts refused.
    refused: u64,
    /// Queries served.
    queries: u64,
    /// Connections the database closed because they were idle too long.
    #[serde(default)]
    closed_idle: u64,
    /// Open connections: id → when last used (connected, queried or pinged).
    #[serde(default)]
    connections: LiteMap<i64, Micros>,
    /// At most the earliest last use of an open connection: no connection can have expired
    /// before `oldest_use + idle_timeout_us`, so [`Database::expire`] scans only after that.
    #[serde(default)]
    oldest_use: Micros,
}
/// What happened to a connection a handler used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConnectionUse {
    /// Open: the use counts as activity.
    Open,
    /// The database closed it (idle too long, or never this database's).
    Closed,
}

impl Database {
    /// A database allowing `max_connections` that never closes an idle connection.
    pub fn new(name: &str, max_connections: u32) -> Self {
        Self {
            name: name.into(),
            max_connections,
            idle_timeout_us: 0,
            open: 0,
            opened_total: 0,
            refused: 0,
            queries: 0,
            closed_idle: 0,
            connections: LiteMap::new(),
            oldest_use: 0,
        }
    }

    /// The same database closing connections idle longer than `idle_timeout_s` (0 = never).
    pub fn with_idle_timeout(mut self, idle_timeout_s: u64) -> Self {
        self.idle_timeout_us = idle_timeout_s.saturating_mul(SEC);
        self
    }

    /// Its name.
    #[inline]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Maximum simultaneous connections.
    #[inline]
    pub fn max_connections(&self) -> u32 {
        self.max_connections
    }

    /// A connection unused for longer than this is closed (0 = never; docs/lambda-behaviour.md
    /// §3.14).
    #[inline]
    pub fn idle_timeout_us(&self) -> Micros {
        self.idle_timeout_us
    }

    /// Open connections now.
    #[inline]
    pub fn open(&self) -> u32 {
        self.open
    }

    /// Connections ever opened.
    #[inline]
    pub fn opened_total(&self) -> u64 {
        self.opened_total
    }

    /// Connection attempts refused at the limit.
    #[inline]
    pub fn refused(&self) -> u64 {
        self.refused
    }

    /// Queries served.
    #[inline]
    pub fn queries(&self) -> u64 {
        self.queries
    }

    /// Connections it closed because they were idle too long.
    #[inline]
    pub fn closed_idle(&self) -> u64 {
        self.closed_idle
    }

    fn expired(&self, last_used: Micros, now: Micros) -> bool {
        self.idle_timeout_us > 0 && now.saturating_sub(last_used) > self.idle_timeout_us
    }

    /// Closes every connection idle longer than the timeout at `now` (what the server did while
    /// nobody looked), freeing their slots.
    pub fn expire(&mut self, now: Micros) {
        // a connect at the limit must not scan every connection each time: only once the
        // earliest last use may have passed the timeout
        if self.idle_timeout_us == 0 || now.saturating_sub(self.oldest_use) <= self.idle_timeout_us
        {
            return;
        }
        let before = self.connections.len();
        let timeout = self.idle_timeout_us;
        self.connections
            .retain(|_, last| now.saturating_sub(*last) <= timeout);
        self.oldest_use = self.connections.values().copied().min().unwrap_or(now);
        let closed = (before - self.connections.len()) as u32;
        self.open = self.open.saturating_sub(closed);
        self.closed_idle += u64::from(closed);
    }

    /// Opens connection `id` at `now`; false (and counted as refused) when the database already
    /// holds `max_connections`.
    pub fn connect(&mut self, id: i64, now: Micros) -> bool {
        self.expire(now);
        if self.open >= self.max_connections {
            self.refused += 1;
            return false;
        }
        self.open += 1;
        self.opened_total += 1;
        // handlers' calls may arrive slightly out of time order: keep the bound a lower bound
        self.oldest_use = if self.connections.is_empty() {
            now
        } else {
            self.oldest_use.min(now)
        };
        self.connections.insert(id, now);
        true
    }

    /// Uses connection `id` at `now` (a query or a ping): open connections count it as activity;
    /// one idle past the timeout is closed now, as the server had done.
    pub fn use_connection(&mut self, id: i64, now: Micros) -> ConnectionUse {
        match self.connections.get(&id).copied() {
            Some(last) if self.expired(last, now) => {
                self.connections.remove(&id);
                self.open = self.open.saturating_sub(1);
                self.closed_idle += 1;
                ConnectionUse::Closed
            }
            Some(_) => {
                self.oldest_use = self.oldest_use.min(now);
                self.connections.insert(id, now);
                ConnectionUse::Open
            }
            None => ConnectionUse::Closed,
        }
    }

    /// A query on connection `id` at `now`: served (and counted) on an open connection; one the
    /// database closed (idle past the timeout, docs/lambda-behaviour.md §3.14) serves nothing.
    #[inline]
    pub fn query(&mut self, id: i64, now: Micros) -> ConnectionUse {
        let used = self.use_connection(id, now);
        if used == ConnectionUse::Open {
            self.queries += 1;
        }
        used
    }

    /// Whether connection `id` is still open at `now` (closing it if it is idle past the timeout).
    pub fn is_open(&mut self, id: i64, now: Micros) -> bool {
        match self.connections.get(&id).copied() {
            Some(last) if self.expired(last, now) => {
                self.use_connection(id, now);
                false
            }
            Some(_) => true,
            None => false,
        }
    }

    /// The client closed connection `id` (its environment shut down or was reset).
    pub fn close(&mut self, id: i64) {
        if self.connections.remove(&id).is_some() {
            self.open = self.open.saturating_sub(1);
        }
    }

    /// The error a handler sees when it uses a connection this database closed: the driver's
    /// text, then why.
    pub fn closed_error(&self) -> String {
        format!(
            "Connection terminated unexpectedly: {} closed this connection after it was idle for more than {} s (the database's idle timeout). Check a connection kept from an earlier invocation before using it (ping(conn)) and connect again when it is closed.",
            self.name,
            self.idle_timeout_us / SEC
        )
    }
}

/// A connection an environment holds: its database and id.
pub type HeldConnection = (String, i64);

/// Why a database refused a connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConnectRefused {
    /// There is no database of that name.
    NoSuchDatabase,
    /// It already holds `max_connections`.
    TooManyClients,
}

/// All simulated downstream services.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Services {
    /// Tables by name.
    tables: LiteMap<String, Table>,
    /// Buckets by name.
    buckets: LiteMap<String, Bucket>,
    /// Databases by name.
    databases: LiteMap<String, Database>,
    /// Host call latencies.
    latencies: Latencies,
    /// Bytes of items and objects handlers wrote.
    held: HeldBytes,
    /// The last connection id given out (ids are unique across databases: the same id on a warm
    /// start shows a connection was reused).
    last_connection_id: i64,
}

impl Services {
    /// Adds a table (replacing one of the same name).
    pub fn add_table(&mut self, table: Table) {
        self.tables.insert(table.name.clone(), table);
    }

    /// Adds an empty bucket named `name`, unless there is one.
    pub fn add_bucket(&mut self, name: &str) {
        if !self.buckets.contains_key(name) {
            self.buckets.insert(name.into(), Bucket::default());
        }
    }

    /// Adds a database (replacing one of the same name).
    pub fn add_database(&mut self, db: Database) {
        self.databases.insert(db.name.clone(), db);
    }

    /// Host call latencies.
    #[inline]
    pub fn latencies(&self) -> &Latencies {
        &self.latencies
    }

    /// Bytes of items and objects handlers wrote that the simulator holds.
    #[inline]
    pub fn held_bytes(&self) -> u64 {
        self.held.bytes()
    }

    /// The tables, by name.
    pub fn tables(&self) -> impl Iterator<Item = &Table> {
        self.tables.values()
    }

    /// The table named `name`.
    #[inline]
    pub fn table(&self, name: &str) -> Option<&Table> {
        self.tables.get(name)
    }

    /// The table named `name`, to call.
    #[inline]
    pub fn table_mut(&mut self, name: &str) -> Option<&mut Table> {
        self.tables.get_mut(name)
    }

    /// `PutItem` on table `table` (see [`Table::put`]); `None` when there is no such table.
    #[inline]
    pub fn put_item(
        &mut self,
        table: &str,
        pk: String,
        json: String,
        now: Micros,
    ) -> Option<Result<(), PutRefused>> {
        let t = self.tables.get_mut(table)?;
        Some(t.put(pk, json, now, &mut self.held))
    }

    /// The bucket named `name`.
    #[inline]
    pub fn bucket(&self, name: &str) -> Option<&Bucket> {
        self.buckets.get(name)
    }

    /// `PutObject` of `body` under `key` in bucket `bucket` (see [`Bucket::put`]).
    #[inline]
    pub fn put_object(
        &mut self,
        bucket: &str,
        key: &str,
        body: String,
    ) -> Result<(), ObjectRefused> {
        let b = self
            .buckets
            .get_mut(bucket)
            .ok_or(ObjectRefused::NoSuchBucket)?;
        b.put(key, body, &mut self.held)
            .map_err(|_| ObjectRefused::HeldFull)
    }

    /// The databases, by name.
    pub fn databases(&self) -> impl Iterator<Item = &Database> {
        self.databases.values()
    }

    /// The database named `name`, to call.
    #[inline]
    pub fn database_mut(&mut self, name: &str) -> Option<&mut Database> {
        self.databases.get_mut(name)
    }

    /// Opens a connection to database `name` at `now` (see [`Database::connect`]): its id, the
    /// next one, taken only when the database accepts it.
    pub fn connect(&mut self, name: &str, now: Micros) -> Result<i64, ConnectRefused> {
        let id = self.last_connection_id + 1;
        let db = self
            .databases
            .get_mut(name)
            .ok_or(ConnectRefused::NoSuchDatabase)?;
        if !db.connect(id, now) {
            return Err(ConnectRefused::TooManyClients);
        }
        self.last_connection_id = id;
        Ok(id)
    }

    /// Drops from `held` the connections their database has closed by `now` (an environment
    /// keeps a file descriptor only for an open connection).
    pub fn keep_open(&mut self, held: &mut Vec<HeldConnection>, now: Micros) {
        held.retain(|(db, id)| {
            self.databases
                .get_mut(db)
                .is_some_and(|d| d.is_open(*id, now))
        });
    }

    /// Closes the connections of an environment that stopped.
    pub fn close_all(&mut self, held: Vec<HeldConnection>) {
        for (db, id) in held {
            if let Some(d) = self.databases.get_mut(&db) {
                d.close(id);
            }
        }
    }
}

/// Latencies charged to virtual time by host calls (at any memory size: network bound).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Latencies {
    /// One DynamoDB call.
    pub dynamodb_us: Micros,
    /// One S3 call.
    pub s3_us: Micros,
    /// One SQS send.
    pub sqs_us: Micros,
    /// Opening a database connection (TCP + TLS + auth): what a warm start saves.
    pub connect_us: Micros,
    /// One database query.
    pub query_us: Micros,
}

impl Default for Latencies {
    fn default() -> Self {
        Self {
            dynamodb_us: 5_000,
            s3_us: 20_000,
            sqs_us: 8_000,
            connect_us: 60_000,
            query_us: 4_000,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_idle_connection_frees_its_slot_only_after_the_timeout() {
        // docs/lambda-behaviour.md §3.14
        let mut db = Database::new("db", 1).with_idle_timeout(120);
        assert!(db.connect(1, 0));
        assert!(
            !db.connect(2, 120 * SEC),
            "120 s idle is not more than the timeout"
        );
        assert!(
            db.connect(3, 120 * SEC + 1),
            "the idle one was closed, its slot is free"
        );
        assert_eq!((db.open, db.closed_idle, db.refused), (1, 1, 1));
        assert_eq!(db.use_connection(1, 120 * SEC + 2), ConnectionUse::Closed);
        assert_eq!(db.use_connection(3, 200 * SEC), ConnectionUse::Open);
        assert!(db.is_open(3, 320 * SEC));
        assert!(!db.is_open(3, 320 * SEC + 1));
    }

    #[test]
    fn refused_connects_at_the_limit_do_not_scan_every_connection() {
        // 40,000 connections held, 40,000 refused attempts: a scan per attempt would be 1.6e9
        // steps; the earliest-use bound lets each attempt skip it
        let n = 40_000;
        let mut db = Database::new("db", n).with_idle_timeout(60);
        for i in 0..n {
            assert!(db.connect(i64::from(i), u64::from(i)));
        }
        let start = std::time::Instant::now();
        for i in 0..n {
            assert!(!db.connect(i64::from(n + i), 30 * SEC));
        }
        assert_eq!(db.refused, u64::from(n));
        assert!(start.elapsed().as_secs() < 2, "{:?}", start.elapsed());
        // and once the earliest has expired, a connect gets its slot
        assert!(db.connect(-1, 60 * SEC + 1));
        assert_eq!(db.closed_idle, 1);
    }

    #[test]
    fn capacity_is_per_second_even_out_of_order() {
        let mut c = Capacity::new(2);
        assert!(c.take(SEC + 1));
        assert!(c.take(10)); // an earlier second, arriving later
        assert!(c.take(SEC + 2));
        assert!(!c.take(SEC + 3), "third unit in the same second");
        assert!(c.take(2 * SEC));
    }

    fn json(v: &str) -> String {
        v.to_string()
    }

    #[test]
    fn a_table_throttles_reads_and_writes_past_their_capacity_per_second() {
        // docs/lambda-behaviour.md §5.7: a table has read and write capacity units per second;
        // past them a call fails with ProvisionedThroughputExceededException
        let mut t = Table::new("t", 1, 1);
        assert_eq!(t.get("a", 0), Ok(None));
        assert_eq!(t.get("a", 10), Err(Throttled), "one read unit a second");
        assert!(t.query("a", 20).is_err(), "a query takes a read unit too");
        let mut held = HeldBytes::default();
        assert_eq!(
            t.put("a".into(), json("{\"pk\":\"a\"}"), 30, &mut held),
            Ok(()),
            "writes have their own capacity"
        );
        assert_eq!(
            t.put("b".into(), json("{\"pk\":\"b\"}"), 40, &mut held),
            Err(PutRefused::Throttled)
        );
        assert_eq!(t.item("b"), None, "a throttled put stores nothing");
        assert_eq!(held.bytes(), 10, "and holds nothing more");
        assert_eq!(t.throttled(), 3);
        assert_eq!(
            t.get("a", SEC),
            Ok(Some("{\"pk\":\"a\"}")),
            "the next second"
        );
        assert_eq!(t.throttled(), 3);
    }

    #[test]
    fn an_on_demand_table_never_throttles() {
        // docs/lambda-behaviour.md §5.7: capacity 0 is on demand (no per-second limit modelled)
        let mut t = Table::new("t", 0, 0);
        let mut held = HeldBytes::default();
        for i in 0..1000 {
            assert!(t.get("k", i).is_ok());
            assert!(t.put(format!("k{i}"), json("{}"), i, &mut held).is_ok());
        }
        assert_eq!((t.throttled(), t.len()), (0, 1000));
    }

    #[test]
    fn a_put_replaces_its_key_and_a_query_returns_the_prefix_run_in_key_order() {
        let mut t = Table::new("t", 0, 0);
        let mut held = HeldBytes::default();
        for (pk, v) in [
            ("user#2", "2"),
            ("user#1", "1"),
            ("order#1", "o"),
            ("user#10", "10"),
        ] {
            t.put(pk.into(), json(v), 0, &mut held).unwrap();
        }
        let found: Vec<&str> = t.query("user#", 0).unwrap().collect();
        assert_eq!(
            found,
            ["1", "10", "2"],
            "keys in order, other prefixes left out"
        );
        assert_eq!(t.query("zzz", 0).unwrap().count(), 0);
        assert_eq!(held.bytes(), 5);
        t.put("user#10".into(), json("ten"), 0, &mut held).unwrap();
        assert_eq!(t.get("user#10", 0), Ok(Some("ten")));
        assert_eq!(
            (t.len(), held.bytes()),
            (4, 6),
            "the old item's bytes are freed"
        );
    }

    #[test]
    fn a_full_table_stores_no_new_key_but_still_replaces_one() {
        let mut t = Table::new("t", 0, 0);
        t.max_items = 2;
        let mut held = HeldBytes::default();
        for pk in ["a", "b", "c"] {
            assert_eq!(t.put(pk.into(), json("1"), 0, &mut held), Ok(()));
        }
        assert_eq!((t.len(), t.item("c"), held.bytes()), (2, None, 2));
        t.put("b".into(), json("22"), 0, &mut held).unwrap();
        assert_eq!((t.item("b"), held.bytes()), (Some("22"), 3));
    }

    #[test]
    fn tables_and_buckets_share_one_bound_on_the_bytes_held() {
        let mut s = Services {
            held: HeldBytes::with_limit(10),
            ..Services::default()
        };
        s.add_table(Table::new("t", 0, 0));
        s.add_bucket("b");
        assert_eq!(s.put_item("t", "k".into(), json("123456"), 0), Some(Ok(())));
        assert_eq!(
            s.put_object("b", "o", "12345".into()),
            Err(ObjectRefused::HeldFull)
        );
        assert_eq!(
            s.bucket("b").unwrap().get("o"),
            None,
            "refused: nothing stored"
        );
        assert_eq!(s.put_object("b", "o", "1234".into()), Ok(()));
        assert_eq!(s.held_bytes(), 10);
        assert_eq!(
            s.put_item("t", "k2".into(), json("1"), 0),
            Some(Err(PutRefused::HeldFull))
        );
        // replacing a value frees its bytes first
        assert_eq!(
            s.put_item("t", "k".into(), json("1234567"), 0),
            Some(Err(PutRefused::HeldFull))
        );
        assert_eq!(s.put_item("t", "k".into(), json("12"), 0), Some(Ok(())));
        assert_eq!(s.held_bytes(), 6);
        assert_eq!(s.put_item("nope", "k".into(), json("1"), 0), None);
    }

    #[test]
    fn a_bucket_returns_what_was_put_and_a_missing_bucket_refuses() {
        let mut s = Services::default();
        assert_eq!(
            s.put_object("b", "k", "x".into()),
            Err(ObjectRefused::NoSuchBucket)
        );
        s.add_bucket("b");
        s.put_object("b", "k", "v1".into()).unwrap();
        s.put_object("b", "k", "v2".into()).unwrap();
        s.add_bucket("b");
        let b = s.bucket("b").unwrap();
        assert_eq!(
            (b.get("k"), b.get("other"), b.len()),
            (Some("v2"), None, 1),
            "adding it again keeps it"
        );
        assert_eq!(s.held_bytes(), 2);
        assert!(s.bucket("c").is_none());
    }

    #[test]
    fn connection_ids_are_unique_across_databases_and_used_only_when_accepted() {
        let mut s = Services::default();
        s.add_database(Database::new("a", 1));
        s.add_database(Database::new("b", 2));
        assert_eq!(s.connect("a", 0), Ok(1));
        assert_eq!(s.connect("nope", 0), Err(ConnectRefused::NoSuchDatabase));
        assert_eq!(s.connect("a", 0), Err(ConnectRefused::TooManyClients));
        assert_eq!(s.connect("b", 0), Ok(2), "no id lost to a refusal");
        assert_eq!(s.connect("b", 0), Ok(3));
        let counts: Vec<_> = s
            .databases()
            .map(|d| {
                (
                    d.name(),
                    d.max_connections(),
                    d.open(),
                    d.opened_total(),
                    d.refused(),
                )
            })
            .collect();
        assert_eq!(counts, [("a", 1, 1, 1, 1), ("b", 2, 2, 2, 0)]);
    }

    #[test]
    fn a_query_counts_only_on_an_open_connection_and_a_closed_one_says_why() {
        // docs/lambda-behaviour.md §3.14
        let mut db = Database::new("orders-db", 2).with_idle_timeout(120);
        assert_eq!(db.idle_timeout_us(), 120 * SEC);
        assert!(db.connect(7, 0));
        assert_eq!(db.query(7, 100 * SEC), ConnectionUse::Open);
        assert_eq!(
            db.query(7, 220 * SEC),
            ConnectionUse::Open,
            "the query was use"
        );
        assert_eq!(db.query(7, 341 * SEC), ConnectionUse::Closed);
        assert_eq!(
            db.query(8, 341 * SEC),
            ConnectionUse::Closed,
            "never this database's"
        );
        assert_eq!((db.queries(), db.closed_idle(), db.open()), (2, 1, 0));
        assert!(db
            .closed_error()
            .starts_with("Connection terminated unexpectedly: orders-db closed this connection after it was idle for more than 120 s"));
    }

    #[test]
    fn an_environment_keeps_only_open_connections_and_closes_them_when_it_stops() {
        // docs/lambda-behaviour.md §3.14 (a closed connection holds no descriptor, §5.6)
        let mut s = Services::default();
        s.add_database(Database::new("db", 3).with_idle_timeout(60));
        let a = s.connect("db", 0).unwrap();
        let b = s.connect("db", 50 * SEC).unwrap();
        let mut held = vec![
            ("db".to_string(), a),
            ("db".to_string(), b),
            ("gone".to_string(), 9),
        ];
        s.keep_open(&mut held, 61 * SEC);
        assert_eq!(held, [("db".to_string(), b)]);
        s.close_all(held);
        let db = s.databases().next().unwrap();
        assert_eq!((db.open(), db.closed_idle(), db.opened_total()), (0, 1, 2));
    }
}
