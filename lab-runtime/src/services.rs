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

/// A relational database with a maximum number of connections.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Database {
    /// Name.
    pub name: String,
    /// Maximum simultaneous connections.
    pub max_connections: u32,
    /// Open connections now.
    pub open: u32,
    /// Connections ever opened.
    pub opened_total: u64,
    /// Connection attempts refused.
    pub refused: u64,
    /// Queries served.
    pub queries: u64,
}

impl Database {
    /// A database allowing `max_connections`.
    pub fn new(name: &str, max_connections: u32) -> Self {
        Self {
            name: name.into(),
            max_connections,
            open: 0,
            opened_total: 0,
            refused: 0,
            queries: 0,
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
    fn capacity_is_per_second_even_out_of_order() {
        let mut c = Capacity::new(2);
        assert!(c.take(SEC + 1));
        assert!(c.take(10)); // an earlier second, arriving later
        assert!(c.take(SEC + 2));
        assert!(!c.take(SEC + 3), "third unit in the same second");
        assert!(c.take(2 * SEC));
    }
}
