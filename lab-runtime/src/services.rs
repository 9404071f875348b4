//! Simulated downstream services the handlers call: a DynamoDB-like table with limited capacity, an
//! S3-like store and a relational database with a connection limit (issue 4, "backend capacity").

use litemap::LiteMap;
use serde::{Deserialize, Serialize};

use crate::clock::{Micros, SEC};

/// The real DynamoDB throttling message.
pub const THROUGHPUT_EXCEEDED: &str = "The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.";

/// Per-second capacity accounting that accepts calls out of time order (handlers run to
/// completion natively, so their calls arrive in start order, not call-time order).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Capacity {
    /// Units per second (0 = unlimited).
    pub per_second: u64,
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

/// A DynamoDB-like table: items keyed by their partition key `pk`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Table {
    /// Table name.
    pub name: String,
    /// Items by partition key (values are JSON text).
    pub items: LiteMap<String, String>,
    /// Write capacity units per second.
    pub write: Capacity,
    /// Read capacity units per second.
    pub read: Capacity,
    /// Calls rejected with `ProvisionedThroughputExceededException`.
    pub throttled: u64,
    /// Bound on stored items (beyond it puts overwrite nothing new: memory stays bounded).
    pub max_items: usize,
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
            max_items: 100_000,
        }
    }
}

/// A relational database with a maximum number of connections that closes connections left idle
/// longer than its idle timeout (docs/lambda-behaviour.md §3.14): a connection an environment kept
/// from Init may be gone after the environment sat frozen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Database {
    /// Name.
    pub name: String,
    /// Maximum simultaneous connections.
    pub max_connections: u32,
    /// A connection unused for longer than this is closed by the database (0 = never).
    #[serde(default)]
    pub idle_timeout_us: Micros,
    /// Open connections now.
    pub open: u32,
    /// Connections ever opened.
    pub opened_total: u64,
    /// Connection attempts refused.
    pub refused: u64,
    /// Queries served.
    pub queries: u64,
    /// Connections the database closed because they were idle too long.
    #[serde(default)]
    pub closed_idle: u64,
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

impl Services {
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

/// All simulated downstream services.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Services {
    /// Tables by name.
    pub tables: LiteMap<String, Table>,
    /// S3 buckets: bucket → key → body.
    pub buckets: LiteMap<String, LiteMap<String, String>>,
    /// Databases by name.
    pub databases: LiteMap<String, Database>,
    /// Host call latencies.
    pub latencies: Latencies,
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
}
