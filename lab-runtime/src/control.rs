//! The control plane: roles, functions, concurrency, async configuration, resource policies and
//! the simulated downstream resources (docs/lambda-behaviour.md §4, §5, §6).

use std::rc::Rc;

use crate::config::{AsyncConfig, FunctionConfig};
use crate::error::ApiError;
use crate::handler::HandlerSpec;
use crate::host::Identity;
use crate::iam::{find_managed, Decision, PolicyDocument, Role};
use crate::metrics::Series;
use crate::sim::Simulation;
use crate::state::function::FunctionState;

fn policy_error(e: crate::iam::PolicyError) -> ApiError {
    ApiError::new("MalformedPolicyDocumentException", 400, e.message)
}

const ENI_ACTIONS: [&str; 3] = [
    "ec2:CreateNetworkInterface",
    "ec2:DescribeNetworkInterfaces",
    "ec2:DeleteNetworkInterface",
];

impl Simulation {
    /// Creates (or replaces) an execution role from its trust policy and permission policies (JSON)
    /// and managed policy names.
    pub fn create_role(
        &mut self,
        name: &str,
        trust_policy: &str,
        policies: &[String],
        managed: &[String],
    ) -> Result<(), ApiError> {
        let trust = PolicyDocument::parse(trust_policy).map_err(policy_error)?;
        let mut docs = Vec::new();
        for p in policies {
            docs.push(PolicyDocument::parse(p).map_err(policy_error)?);
        }
        let mut names: Vec<String> = Vec::new();
        for m in managed {
            let policy = find_managed(m).ok_or_else(|| not_attachable(m))?;
            if !names.iter().any(|n| n == policy.name) {
                names.push(policy.name.to_owned());
                docs.push(policy.document());
            }
        }
        self.roles.insert(
            name.into(),
            Role {
                name: name.into(),
                trust_policy: trust,
                policies: docs,
                managed: names,
            },
        );
        self.refresh_identities(name);
        Ok(())
    }

    /// Declares a caller (an IAM user or role ARN of any account) with its identity-based policies
    /// (JSON), replacing any it had: from then on its `Invoke` calls are decided by those policies
    /// together with the function's resource-based policy (docs/lambda-behaviour.md §6.10).
    pub fn put_principal_policies(
        &mut self,
        principal: &str,
        policies: &[String],
    ) -> Result<(), ApiError> {
        if crate::iam::principal_account(principal).is_none() {
            return Err(ApiError::new(
                "ValidationException",
                400,
                format!("{principal} is not an IAM user or role ARN (arn:aws:iam::ACCOUNT:user/NAME or role/NAME)"),
            ));
        }
        let mut docs = Vec::new();
        for p in policies {
            docs.push(PolicyDocument::parse(p).map_err(policy_error)?);
        }
        self.principals.insert(principal.to_string(), docs);
        Ok(())
    }

    /// Adds an inline policy (JSON) to a role.
    pub fn put_role_policy(&mut self, role: &str, policy: &str) -> Result<(), ApiError> {
        let doc = PolicyDocument::parse(policy).map_err(policy_error)?;
        let r = self.roles.get_mut(role).ok_or_else(|| no_role(role))?;
        r.policies.push(doc);
        self.refresh_identities(role);
        Ok(())
    }

    /// `UpdateAssumeRolePolicy`: replaces a role's trust policy (JSON). Functions already using
    /// the role keep running; creating or updating a function with it checks the new trust
    /// (docs/lambda-behaviour.md §6.4).
    pub fn update_assume_role_policy(&mut self, role: &str, policy: &str) -> Result<(), ApiError> {
        let doc = PolicyDocument::parse(policy).map_err(policy_error)?;
        let r = self.roles.get_mut(role).ok_or_else(|| no_role(role))?;
        r.trust_policy = doc;
        self.refresh_identities(role);
        Ok(())
    }

    /// `AttachRolePolicy`: attaches a managed policy to a role (one the role has already: no
    /// change, as on AWS; docs/lambda-behaviour.md §6.5).
    pub fn attach_role_policy(&mut self, role: &str, managed: &str) -> Result<(), ApiError> {
        let policy = find_managed(managed).ok_or_else(|| not_attachable(managed))?;
        let r = self.roles.get_mut(role).ok_or_else(|| no_role(role))?;
        if !r.managed.iter().any(|n| n == policy.name) {
            r.managed.push(policy.name.to_owned());
            r.policies.push(policy.document());
        }
        self.refresh_identities(role);
        Ok(())
    }

    /// `DetachRolePolicy`: detaches a managed policy from a role; one the role does not have is
    /// refused with AWS's `NoSuchEntity` (docs/lambda-behaviour.md §6.5).
    pub fn detach_role_policy(&mut self, role: &str, managed: &str) -> Result<(), ApiError> {
        let r = self.roles.get_mut(role).ok_or_else(|| no_role(role))?;
        let attached = find_managed(managed)
            .and_then(|p| Some((p, r.managed.iter().position(|n| n == p.name)?)));
        let Some((policy, at)) = attached else {
            let arn = find_managed(managed).map_or_else(|| managed.to_owned(), |p| p.arn());
            return Err(ApiError::new(
                "NoSuchEntityException",
                404,
                format!("Policy {arn} was not found."),
            ));
        };
        r.managed.remove(at);
        // An inline policy with the same text grants the same: removing either copy is the same.
        let doc = policy.document();
        if let Some(i) = r.policies.iter().position(|d| *d == doc) {
            r.policies.remove(i);
        }
        self.refresh_identities(role);
        Ok(())
    }

    /// The names of the managed policies attached to a role, in the order attached (`None` when
    /// there is no such role).
    pub fn role_managed_policies(&self, role: &str) -> Option<&[String]> {
        self.roles.get(role).map(|r| r.managed.as_slice())
    }

    fn refresh_identities(&mut self, role: &str) {
        {
            let mut h = self.host.borrow_mut();
            h.iam_cache.clear();
            h.last_allowed = None;
        }
        let Some(r) = self.roles.get(role).cloned() else {
            return;
        };
        let identity = |name: &str| {
            Rc::new(Identity {
                account: self.account.id.clone(),
                region: self.account.region.clone(),
                function: name.to_string(),
                role: r.clone(),
            })
        };
        let allowed = logs_allowed(&r);
        for fs in self.functions.iter_mut() {
            // a published version keeps its role; the role's policies are IAM's, not the version's
            fs.role_changed(role, identity, allowed);
        }
    }

    fn checked_role(&self, config: &FunctionConfig) -> Result<Role, ApiError> {
        let role = self.roles.get(&config.role).ok_or_else(|| {
            ApiError::invalid("The role defined for the function cannot be assumed by Lambda.")
        })?;
        // docs/lambda-behaviour.md §6.4
        if !role.trusts_lambda() {
            return Err(ApiError::invalid(
                "The role defined for the function cannot be assumed by Lambda.",
            ));
        }
        // docs/lambda-behaviour.md §6.6: the role must allow the ENI actions
        if config.vpc.is_some()
            && ENI_ACTIONS
                .iter()
                .any(|a| role.allows(a, "*") != Decision::Allow)
        {
            return Err(ApiError::invalid(
                "The provided execution role does not have permissions to call CreateNetworkInterface on EC2",
            ));
        }
        Ok(role.clone())
    }

    /// Changes the simulator's own settings (keep-alive, windows, client retries…). The metrics
    /// bucket width of existing series does not change.
    pub fn update_settings(&mut self, settings: crate::config::SimSettings) {
        self.logs.set_capacity(settings.log_window);
        self.records.set_capacity(settings.record_window);
        self.shutdowns.set_capacity(settings.record_window);
        self.responses.set_capacity(settings.record_window);
        self.account.settings = settings;
        for f in 0..self.functions.len() {
            // a stale sweep event finds nothing to do; schedule one for the new keep-alive
            self.functions[f].sweep_done();
            self.ensure_sweep(f as u32);
        }
    }

    /// `CreateFunction`.
    pub fn create_function(&mut self, config: FunctionConfig) -> Result<u32, ApiError> {
        config.validate()?;
        if self.by_name.contains_key(&config.name) {
            return Err(ApiError::new(
                "ResourceConflictException",
                409,
                format!("Function already exist: {}", config.name),
            ));
        }
        let role = self.checked_role(&config)?;
        self.concurrency.reserve(
            self.account.concurrency_limit,
            None,
            config.reserved_concurrency,
            0,
        )?;
        let s = &self.account.settings;
        let arn = format!(
            "arn:aws:lambda:{}:{}:function:{}",
            self.account.region, self.account.id, config.name
        );
        let identity = Rc::new(Identity {
            account: self.account.id.clone(),
            region: self.account.region.clone(),
            function: config.name.clone(),
            role: role.clone(),
        });
        let f = self.functions.len() as u32;
        self.by_name.insert(config.name.clone(), f);
        let metrics = Series::new(s.metrics_bucket_us, s.metrics_max_buckets);
        let allowed = logs_allowed(&role);
        self.functions.push(FunctionState::new(
            config, arn, identity, allowed, metrics, self.now,
        ));
        let handler = self.functions[f as usize].config().handler.clone();
        self.load_code(f, handler);
        Ok(f)
    }

    /// Compiles (a script) or reads (a profile) `handler` and gives it to `$LATEST`.
    fn load_code(&mut self, f: u32, handler: HandlerSpec) {
        let (compiled, error_ppm) = match &handler {
            HandlerSpec::Profile(p) => (None, p.error_ppm()),
            HandlerSpec::Script(src) => (Some(self.scripts.compile(src)), 0),
        };
        self.functions[f as usize].set_code(handler, compiled, error_ppm);
    }

    pub(crate) fn fidx(&self, name: &str) -> Result<u32, ApiError> {
        self.function_index(name).ok_or_else(|| {
            ApiError::not_found(&format!(
                "arn:aws:lambda:{}:{}:function:{name}",
                self.account.region, self.account.id
            ))
        })
    }

    /// Replaces every `$LATEST` environment: idle ones now, busy ones when they finish (a new
    /// revision). Published versions are immutable: their environments stay
    /// (docs/lambda-behaviour.md §10.1).
    fn new_version(&mut self, f: u32) {
        self.functions[f as usize].new_revision();
        for s in self.functions[f as usize].pool().reclaimable_of(0) {
            self.remove_env(
                f as usize,
                s,
                crate::state::shutdown::ShutdownReason::NewVersion,
            );
        }
    }

    /// `UpdateFunctionConfiguration` (memory, timeout, /tmp, role, VPC…): new environments follow.
    pub fn update_function_configuration(
        &mut self,
        mut config: FunctionConfig,
    ) -> Result<(), ApiError> {
        let f = self.fidx(&config.name)?;
        let old = self.functions[f as usize].config().clone();
        // concurrency, async config and code have their own APIs
        config.reserved_concurrency = old.reserved_concurrency;
        config.async_config = old.async_config.clone();
        config.handler = old.handler.clone();
        config.validate()?;
        let role = self.checked_role(&config)?;
        {
            let mut h = self.host.borrow_mut();
            h.iam_cache.clear();
            h.last_allowed = None;
        }
        let allowed = logs_allowed(&role);
        let identity = Rc::new(Identity {
            account: self.account.id.clone(),
            region: self.account.region.clone(),
            function: config.name.clone(),
            role,
        });
        self.functions[f as usize].set_configuration(config, identity, allowed);
        self.new_version(f);
        Ok(())
    }

    /// `UpdateFunctionCode`: deploys a new handler; environments are replaced.
    pub fn update_function_code(
        &mut self,
        function: &str,
        handler: HandlerSpec,
    ) -> Result<(), ApiError> {
        let f = self.fidx(function)?;
        crate::config::check_code_size(&handler)?;
        self.load_code(f, handler);
        self.new_version(f);
        Ok(())
    }

    /// `PutFunctionConcurrency` (`None` = `DeleteFunctionConcurrency`).
    pub fn put_function_concurrency(
        &mut self,
        function: &str,
        reserved: Option<u32>,
    ) -> Result<(), ApiError> {
        let f = self.fidx(function)?;
        let old = self.functions[f as usize].config().reserved_concurrency;
        if let Some(r) = reserved {
            if self.functions[f as usize].versions().provisioned_total() > r {
                return Err(ApiError::invalid(
                    "Requested Provisioned Concurrency should not be greater than the reservedConcurrentExecution for function.",
                ));
            }
        }
        let (busy, _) = self.functions[f as usize].pool().busy();
        self.concurrency
            .reserve(self.account.concurrency_limit, old, reserved, busy)?;
        self.functions[f as usize].set_reserved_concurrency(reserved);
        Ok(())
    }

    /// `PutFunctionEventInvokeConfig`.
    pub fn put_event_invoke_config(
        &mut self,
        function: &str,
        config: AsyncConfig,
    ) -> Result<(), ApiError> {
        self.put_event_invoke_config_qualified(function, None, config)
    }

    /// `PutFunctionEventInvokeConfig` with a `Qualifier` (or a qualified name): the settings of
    /// that version or alias only (docs/lambda-behaviour.md §10.7).
    pub fn put_event_invoke_config_qualified(
        &mut self,
        function: &str,
        qualifier: Option<&str>,
        config: AsyncConfig,
    ) -> Result<(), ApiError> {
        let (name, in_name) = crate::state::versions::split_function_name(function);
        let f = self.fidx(name)?;
        config.validate()?;
        match in_name.or(qualifier) {
            Some(q) => self.put_qualified_event_invoke_config(f, q, config),
            None => {
                self.functions[f as usize].set_async_config(config);
                Ok(())
            }
        }
    }
}

fn not_attachable(policy: &str) -> ApiError {
    ApiError::new(
        "NoSuchEntityException",
        404,
        format!("Policy {policy} does not exist or is not attachable."),
    )
}

fn no_role(role: &str) -> ApiError {
    ApiError::new(
        "NoSuchEntityException",
        404,
        format!("The role with name {role} cannot be found."),
    )
}

/// Without `logs:CreateLogStream` and `logs:PutLogEvents` a function writes no logs.
fn logs_allowed(role: &Role) -> bool {
    ["logs:CreateLogStream", "logs:PutLogEvents"]
        .iter()
        .all(|a| role.allows(a, "*") == Decision::Allow)
}
