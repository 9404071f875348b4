//! The invoke front door, in Lambda's order: function lookup, payload size, resource-based policy,
//! then (sync) throttling and an environment, or (async) the internal queue, or (DryRun) 204
//! (docs/lambda-behaviour.md §1, §4.7, §6.3).

use std::sync::Arc;

use crate::clock::MS;
use crate::error::ApiError;
use crate::iam::{evaluate, Decision, Request};
use crate::model::{
    InvocationRecord, InvocationType, InvokeOutcome, InvokeRequest, InvokeResponse, Outcome,
    RequestId, Trigger, ASYNC_PAYLOAD_LIMIT, SYNC_PAYLOAD_LIMIT,
};
use crate::sim::{Ev, PendingSync, Simulation};
use crate::state::inflight::Source;
use crate::state::versions::Target;

impl Simulation {
    /// Calls `Invoke`. Errors before the code runs come back at once; a synchronous call's response
    /// appears in [`Simulation::responses`] when it completes.
    pub fn invoke(&mut self, req: &InvokeRequest) -> InvokeOutcome {
        match self.front_door(req) {
            Ok(o) => o,
            Err((f, e)) => {
                self.record_rejection(f, req, &e);
                InvokeOutcome::Rejected(e)
            }
        }
    }

    /// The checks in Lambda's order; `Err` carries the function (when it exists) and the error.
    /// Throttles are recorded where they happen ([`Simulation::throttle`]).
    fn front_door(
        &mut self,
        req: &InvokeRequest,
    ) -> Result<InvokeOutcome, (Option<u32>, ApiError)> {
        // `fn`, `fn:q`, a qualified ARN, and/or `Qualifier` (docs/lambda-behaviour.md §10.3)
        let (f, in_name) = match self.function_index(&req.function) {
            Some(f) => (Some(f), None),
            None => {
                let (name, q) = crate::state::versions::split_function_name(&req.function);
                (self.function_index(name), q)
            }
        };
        let Some(f) = f else {
            let arn = format!(
                "arn:aws:lambda:{}:{}:function:{}",
                self.account.region, self.account.id, req.function
            );
            return Err((None, ApiError::not_found(&arn)));
        };
        let qualifier = match (in_name, req.qualifier.as_deref()) {
            (Some(a), Some(b)) if a != b => {
                return Err((
                    Some(f),
                    ApiError::invalid(
                        "The derived qualifier from the function name does not match the specified qualifier.",
                    ),
                ))
            }
            (a, b) => a.or(b),
        };
        let target = match qualifier {
            None => Target::LATEST,
            q => self.resolve(f, q).map_err(|e| (Some(f), e))?,
        };
        let limit = match req.invocation_type {
            InvocationType::Event => ASYNC_PAYLOAD_LIMIT,
            _ => SYNC_PAYLOAD_LIMIT,
        };
        if req.payload.len() > limit {
            return Err((
                Some(f),
                ApiError::new(
                    "RequestTooLargeException",
                    413,
                    format!(
                        "Request must be smaller than {limit} bytes for the InvokeFunction operation"
                    ),
                ),
            ));
        }
        let checked = self
            .valid_payload
            .as_ref()
            .is_some_and(|p| Arc::ptr_eq(p, &req.payload));
        if !checked && req.payload.len() > 2 {
            if serde_json::from_str::<serde::de::IgnoredAny>(&req.payload).is_ok() {
                self.valid_payload = Some(req.payload.clone());
            } else {
                return Err((
                    Some(f),
                    ApiError::new(
                        "InvalidRequestContentException",
                        400,
                        "Could not parse request body into json: Unexpected character",
                    ),
                ));
            }
        }
        self.check_invoke_permission(f, qualifier, req)
            .map_err(|e| (Some(f), e))?;
        Ok(match req.invocation_type {
            InvocationType::DryRun => InvokeOutcome::DryRunOk { status: 204 },
            InvocationType::Event => {
                let request = RequestId(self.next_id());
                // `$LATEST` kept: the handler's `invoked_function_arn` names it (docs/lambda-behaviour.md §7.2)
                let q = qualifier.map(str::to_string);
                self.async_enqueue(f, q, req.payload.clone(), request);
                InvokeOutcome::Queued {
                    request_id: request,
                    status: 202,
                }
            }
            InvocationType::RequestResponse => {
                let request = RequestId(self.next_id());
                match self.try_start(
                    f,
                    target,
                    Trigger::Sync,
                    Source::Sync,
                    &req.payload,
                    request,
                    1,
                ) {
                    Ok(()) => InvokeOutcome::Started {
                        request_id: request,
                    },
                    Err(e) => {
                        if self.account.settings.client_retries > 0 {
                            self.schedule_client_retry(f, target, req.payload.clone(), request, 1);
                            InvokeOutcome::Started {
                                request_id: request,
                            }
                        } else {
                            // already recorded and counted as a throttle
                            return Ok(InvokeOutcome::Rejected(e));
                        }
                    }
                }
            }
        })
    }

    /// A call refused before the code ran (413, 403, 404, 400) leaves a per-invocation record
    /// with outcome `rejected` and the error code, and counts in no CloudWatch metric: `Invocations`
    /// counts code that ran, `Errors` function errors (docs/lambda-behaviour.md §7.4, §8.1).
    fn record_rejection(&mut self, f: Option<u32>, req: &InvokeRequest, e: &ApiError) {
        let now = self.now;
        let request = RequestId(self.next_id());
        let function: Arc<str> = match f {
            Some(f) => {
                let fs = &mut self.functions[f as usize];
                fs.rejected();
                fs.name().clone()
            }
            None => Arc::from(req.function.as_str()),
        };
        let trigger = match req.invocation_type {
            InvocationType::RequestResponse => Trigger::Sync,
            InvocationType::Event => Trigger::Async,
            InvocationType::DryRun => Trigger::DryRun,
        };
        self.records.push(InvocationRecord::refused(
            request,
            function,
            trigger,
            1,
            now,
            Outcome::Rejected,
            &e.code,
        ));
    }

    /// The permission check (docs/lambda-behaviour.md §6.2, §6.10). `principal: None` is the
    /// account's administrator, allowed by its identity policy. A declared principal (see
    /// [`Simulation::put_principal_policies`]) of this account is allowed by its identity-based
    /// policy or by the resource-based policy; one of another account needs both. An undeclared
    /// principal is decided by the resource-based policy alone.
    ///
    /// A qualified request (a version or an alias) is checked against that qualifier's policy and
    /// its qualified ARN: a statement added with a qualifier allows only invocations through it,
    /// and an unqualified statement only unqualified ones (docs/lambda-behaviour.md §10.6).
    fn check_invoke_permission(
        &self,
        f: u32,
        qualifier: Option<&str>,
        req: &InvokeRequest,
    ) -> Result<(), ApiError> {
        let Some(principal) = req.principal.as_deref() else {
            return Ok(());
        };
        let fs = &self.functions[f as usize];
        let qualifier = qualifier.filter(|q| *q != "$LATEST");
        let resource_policy = fs.policy_for(qualifier);
        let mut ctx: Vec<(&str, &str)> = Vec::new();
        if let Some(a) = req.source_arn.as_deref() {
            ctx.push(("AWS:SourceArn", a));
        }
        if let Some(a) = req.source_account.as_deref() {
            ctx.push(("AWS:SourceAccount", a));
        }
        let resources = [fs.qualified_arn(qualifier), format!("{}:*", fs.arn())];
        let r = Request {
            principal: Some(principal),
            action: "lambda:InvokeFunction",
            resource: &resources[0],
            context: &ctx,
        };
        let decision = match resource_policy {
            Some(p) => evaluate([p], &r),
            None => Decision::ImplicitDeny,
        };
        const NO_RESOURCE: &str =
            "because no resource-based policy allows the lambda:InvokeFunction action";
        const NO_IDENTITY: &str =
            "because no identity-based policy allows the lambda:InvokeFunction action";
        let why = match self.principals.get(principal) {
            None => match decision {
                Decision::Allow => return Ok(()),
                Decision::ExplicitDeny => "with an explicit deny in a resource-based policy",
                Decision::ImplicitDeny => NO_RESOURCE,
            },
            Some(policies) => {
                // identity-based policies name the resource, not the principal
                let ir = Request {
                    principal: None,
                    ..r
                };
                let identity = resources
                    .iter()
                    .map(|res| {
                        evaluate(
                            policies,
                            &Request {
                                resource: res,
                                ..ir
                            },
                        )
                    })
                    .fold(Decision::ImplicitDeny, |a, b| match (a, b) {
                        (Decision::ExplicitDeny, _) | (_, Decision::ExplicitDeny) => {
                            Decision::ExplicitDeny
                        }
                        (Decision::Allow, _) | (_, Decision::Allow) => Decision::Allow,
                        _ => Decision::ImplicitDeny,
                    });
                let same_account =
                    crate::iam::principal_account(principal) == Some(self.account.id.as_str());
                match (identity, decision) {
                    (Decision::ExplicitDeny, _) => {
                        "with an explicit deny in an identity-based policy"
                    }
                    (_, Decision::ExplicitDeny) => {
                        "with an explicit deny in a resource-based policy"
                    }
                    (Decision::Allow, Decision::Allow) => return Ok(()),
                    (Decision::Allow, _) if same_account => return Ok(()),
                    (_, Decision::Allow) if same_account => return Ok(()),
                    (Decision::Allow, _) => NO_RESOURCE,
                    _ => NO_IDENTITY,
                }
            }
        };
        Err(ApiError::new(
            "AccessDeniedException",
            403,
            format!(
                "User: {principal} is not authorized to perform: lambda:InvokeFunction on resource: {} {why}",
                match qualifier {
                    Some(q) => format!("{}:{q}", fs.config().name),
                    None => fs.config().name.clone(),
                }
            ),
        ))
    }

    /// Counts a throttle and builds the 429 (docs/lambda-behaviour.md §4.7).
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn throttle(
        &mut self,
        f: u32,
        version: u32,
        reason: &str,
        trigger: Trigger,
        request: RequestId,
        attempt: u32,
    ) -> ApiError {
        let now = self.now;
        let fs = &mut self.functions[f as usize];
        fs.throttled(now);
        if self.records.keeps() {
            let name = fs.name().clone();
            let mut r = InvocationRecord::refused(
                request,
                name,
                trigger,
                attempt,
                now,
                Outcome::Throttled,
                "TooManyRequestsException",
            );
            r.executed_version = crate::model::FunctionVersion(version);
            self.records.push(r);
        }
        ApiError {
            code: "TooManyRequestsException".into(),
            status: 429,
            message: "Rate Exceeded.".into(),
            reason: Some(reason.into()),
            retry_after_s: Some(self.account.settings.throttle_retry_after_s),
        }
    }

    fn schedule_client_retry(
        &mut self,
        function: u32,
        target: Target,
        payload: Arc<str>,
        request: RequestId,
        attempt: u32,
    ) {
        // SDK-style backoff: 100 ms x 2^(attempt-1) plus up to 100 ms of jitter
        let base = (100 * MS) << (attempt - 1).min(10);
        let jitter = self.rng.below(100 * MS);
        self.pending_sync.insert(
            request.0,
            PendingSync {
                function,
                target,
                payload,
                request,
                attempt,
            },
        );
        self.schedule(self.now + base + jitter, Ev::ClientRetry(request.0));
    }

    pub(crate) fn client_retry(&mut self, id: u64) {
        let Some(p) = self.pending_sync.swap_remove(&id) else {
            return;
        };
        match self.try_start(
            p.function,
            p.target,
            Trigger::Sync,
            Source::Sync,
            &p.payload,
            p.request,
            p.attempt + 1,
        ) {
            Ok(()) => {}
            Err(e) => {
                if p.attempt < self.account.settings.client_retries {
                    self.schedule_client_retry(
                        p.function,
                        p.target,
                        p.payload,
                        p.request,
                        p.attempt + 1,
                    );
                } else {
                    let name = self.functions[p.function as usize].name().clone();
                    self.responses.push(InvokeResponse {
                        request_id: p.request,
                        function: name,
                        status: e.status,
                        function_error: None,
                        payload: "".into(),
                        time_us: self.now,
                        error: Some(e),
                        executed_version: crate::model::FunctionVersion(p.target.version),
                    });
                }
            }
        }
    }

    /// A synchronous invocation finished: the caller gets 200, with `X-Amz-Function-Error:
    /// Unhandled` and the error object when the function failed (docs/lambda-behaviour.md §1.2).
    pub(crate) fn sync_complete(&mut self, inf: &crate::state::inflight::InFlight) {
        if !self.responses.keeps() {
            return;
        }
        let name = self.functions[inf.function as usize].name().clone();
        let (function_error, payload) = match &inf.error {
            Some(e) => (Some("Unhandled".to_string()), e.payload().into()),
            None => match &inf.response {
                Some(r) if r.len() > SYNC_PAYLOAD_LIMIT => (
                    Some("Unhandled".to_string()),
                    crate::handler::FunctionError::new(
                        "Function.ResponseSizeTooLarge",
                        "Response payload size exceeded maximum allowed payload size (6291556 bytes).", // docs/lambda-behaviour.md §1.12
                    )
                    .payload()
                    .into(),
                ),
                Some(r) => (None, Arc::from(&**r)),
                None => (None, self.null_payload.clone()),
            },
        };
        self.responses.push(InvokeResponse {
            request_id: inf.request,
            function: name,
            status: 200,
            function_error,
            payload,
            time_us: self.now,
            error: None,
            executed_version: crate::model::FunctionVersion(inf.target.version),
        });
    }
}

impl InvocationRecord {
    /// The record of a request refused before any code ran (rejected or throttled): no
    /// environment, no duration, no bill.
    fn refused(
        request_id: RequestId,
        function: Arc<str>,
        trigger: Trigger,
        attempt: u32,
        now: crate::clock::Micros,
        outcome: Outcome,
        error_type: &str,
    ) -> Self {
        InvocationRecord {
            request_id,
            function,
            trigger,
            attempt,
            env: 0,
            start_type: None,
            start_us: now,
            init_us: 0,
            duration_us: 0,
            billed_ms: 0,
            outcome,
            error_type: Some(error_type.to_owned()),
            executed_version: crate::model::FunctionVersion::LATEST,
        }
    }
}
