//! Resource-based policies (who may invoke) and the simulated downstream resources: queues,
//! tables, buckets, databases (docs/lambda-behaviour.md §6.2).

use crate::error::ApiError;
use crate::iam::PolicyDocument;
use crate::services::{Database, Table};
use crate::sim::Simulation;
use crate::sqs::{Redrive, SqsQueue};

fn policy_error(e: crate::iam::PolicyError) -> ApiError {
    ApiError::new("MalformedPolicyDocumentException", 400, e.message)
}

impl Simulation {
    /// Replaces the function's resource-based policy (JSON); 20 KB limit.
    pub fn put_function_policy(
        &mut self,
        function: &str,
        policy: Option<&str>,
    ) -> Result<(), ApiError> {
        let f = self.fidx(function)?;
        let doc = match policy {
            Some(p) if p.len() > 20 * 1024 => {
                return Err(ApiError::new(
                    "PolicyLengthExceededException",
                    400,
                    "The final policy size (bigger than the limit of 20480) is too large.",
                ))
            }
            Some(p) => Some(PolicyDocument::parse(p).map_err(policy_error)?),
            None => None,
        };
        *self.policy_mut(f, None)? = doc;
        Ok(())
    }

    /// `AddPermission`: allows `principal` to invoke, with optional SourceArn / SourceAccount.
    pub fn add_permission(
        &mut self,
        function: &str,
        sid: &str,
        principal: &str,
        source_arn: Option<&str>,
        source_account: Option<&str>,
    ) -> Result<(), ApiError> {
        self.add_permission_qualified(function, None, sid, principal, source_arn, source_account)
    }

    /// `AddPermission` with a `Qualifier` (or a qualified name, `fn:live`): the statement goes to
    /// that version's or alias's policy and names its qualified ARN, so it allows only
    /// invocations through that qualifier (docs/lambda-behaviour.md §10.6).
    pub fn add_permission_qualified(
        &mut self,
        function: &str,
        qualifier: Option<&str>,
        sid: &str,
        principal: &str,
        source_arn: Option<&str>,
        source_account: Option<&str>,
    ) -> Result<(), ApiError> {
        let (name, in_name) = crate::state::versions::split_function_name(function);
        let f = self.fidx(name)?;
        let qualifier = in_name.or(qualifier);
        if let Some(q) = qualifier {
            self.policy_mut(f, Some(q))?;
        }
        let resource = self.functions[f as usize].qualified_arn(qualifier);
        let principal_json = if principal.ends_with(".amazonaws.com") {
            serde_json::json!({ "Service": principal })
        } else {
            serde_json::json!({ "AWS": principal })
        };
        let mut stmt = serde_json::json!({
            "Sid": sid, "Effect": "Allow", "Principal": principal_json,
            "Action": "lambda:InvokeFunction", "Resource": resource,
        });
        let mut cond = serde_json::Map::new();
        if let Some(a) = source_arn {
            cond.insert("ArnLike".into(), serde_json::json!({ "AWS:SourceArn": a }));
        }
        if let Some(a) = source_account {
            cond.insert(
                "StringEquals".into(),
                serde_json::json!({ "AWS:SourceAccount": a }),
            );
        }
        if !cond.is_empty() {
            stmt["Condition"] = cond.into();
        }
        let doc = PolicyDocument::from_value(
            &serde_json::json!({"Version": "2012-10-17", "Statement": [stmt]}),
        )
        .map_err(policy_error)?;
        let policy = self.policy_mut(f, qualifier)?;
        match policy {
            Some(p) => p.statements.extend(doc.statements),
            None => *policy = Some(doc),
        }
        Ok(())
    }

    /// Creates a standard SQS queue, optionally with a redrive policy to a DLQ.
    pub fn create_queue(
        &mut self,
        name: &str,
        visibility_timeout_s: u32,
        redrive: Option<Redrive>,
    ) -> Result<(), ApiError> {
        self.create_queue_of_kind(name, visibility_timeout_s, redrive, false)
    }

    /// Creates a standard or a FIFO queue (`FifoQueue`; its name must end in `.fifo`, and its
    /// dead-letter queue must be FIFO too, docs/lambda-behaviour.md §2.17).
    pub fn create_queue_of_kind(
        &mut self,
        name: &str,
        visibility_timeout_s: u32,
        redrive: Option<Redrive>,
        fifo: bool,
    ) -> Result<(), ApiError> {
        crate::config::check_range("VisibilityTimeout", visibility_timeout_s as i64, 0, 43_200)?;
        if let Some(e) = crate::sqs::queue_name_error(name, fifo) {
            return Err(ApiError::new("InvalidParameterValue", 400, e));
        }
        if let Some(r) = &redrive {
            let dlq_fifo = self
                .host
                .borrow()
                .queues
                .get(&r.dead_letter_queue)
                .map(|d| d.fifo());
            if dlq_fifo.is_some_and(|d| d != fifo) {
                return Err(ApiError::new(
                    "InvalidParameterValue",
                    400,
                    format!(
                        "queue \"{name}\": the dead-letter queue of a {} queue must also be a {} queue",
                        if fifo { "FIFO" } else { "standard" },
                        if fifo { "FIFO" } else { "standard" }
                    ),
                ));
            }
        }
        let visibility_us = visibility_timeout_s as u64 * crate::clock::SEC;
        let q = SqsQueue::new(name, visibility_us, redrive, fifo);
        self.host.borrow_mut().queues.insert(name.into(), q);
        Ok(())
    }

    /// Creates a DynamoDB-like table with read/write capacity per second (0 = on-demand).
    pub fn create_table(&mut self, name: &str, read_per_s: u64, write_per_s: u64) {
        self.host
            .borrow_mut()
            .services
            .add_table(Table::new(name, read_per_s, write_per_s));
    }

    /// Creates an S3-like bucket.
    pub fn create_bucket(&mut self, name: &str) {
        self.host.borrow_mut().services.add_bucket(name);
    }

    /// Creates a database with a connection limit that never closes an idle connection.
    pub fn create_database(&mut self, name: &str, max_connections: u32) {
        self.create_database_with_idle_timeout(name, max_connections, 0);
    }

    /// Creates a database with a connection limit that closes connections unused for more than
    /// `idle_timeout_s` seconds (0 = never; docs/lambda-behaviour.md §3.14).
    pub fn create_database_with_idle_timeout(
        &mut self,
        name: &str,
        max_connections: u32,
        idle_timeout_s: u64,
    ) {
        self.host
            .borrow_mut()
            .services
            .add_database(Database::new(name, max_connections).with_idle_timeout(idle_timeout_s));
    }
}
