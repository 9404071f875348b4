//! Versions and aliases (docs/lambda-behaviour.md §10): `PublishVersion` snapshots `$LATEST`'s
//! code and configuration as version 1, 2, ...; an alias names a version, optionally with a second
//! version and its weight (`RoutingConfig`); `Invoke` takes a qualifier (`fn:3`, `fn:live`, a
//! qualified ARN). Provisioned concurrency, resource-based policy statements added with a
//! qualifier, and asynchronous settings belong to one version or alias; a weighted alias divides
//! its provisioned concurrency between its two versions. Event source mappings may invoke a
//! version or alias (§10.8), and `DeleteFunction` with a version number deletes one version
//! (§10.9).
//!
//! The rules are the model's, [`crate::state::versions::Versions`], which each function owns;
//! this file is the control plane around it: it finds the function, splits qualified names, and
//! starts or stops the environments a change of provisioned concurrency or a deleted version
//! asks for.

use crate::config::AsyncConfig;
use crate::error::ApiError;
use crate::iam::PolicyDocument;
use crate::model::FunctionVersion;
use crate::sim::Simulation;
use crate::state::versions::{split_function_name, QualifierRef, RoutingConfig, Target};

impl Simulation {
    /// The version alias `alias` of `function` points to, if both exist.
    pub fn alias_version(&self, function: &str, alias: &str) -> Option<FunctionVersion> {
        let f = self.function_index(function)?;
        self.functions[f as usize]
            .versions()
            .alias(alias)
            .map(|a| FunctionVersion(a.version()))
    }

    /// One line for the console: "Versions: 1, 2 · aliases: live → 1 (+ 2 at 10 %) · provisioned:
    /// live 2".
    pub fn versions_line(&self, function: &str) -> String {
        match self.function_index(function) {
            Some(f) => self.functions[f as usize].versions().line(),
            None => String::new(),
        }
    }

    /// `PublishVersion`: snapshots `$LATEST`'s code and configuration as the next version number.
    /// When nothing changed since the last version, no version is published and the last one is
    /// returned, as AWS does (docs/lambda-behaviour.md §10.1).
    pub fn publish_version(
        &mut self,
        function: &str,
        description: Option<&str>,
    ) -> Result<FunctionVersion, ApiError> {
        let f = self.fidx(function)?;
        Ok(FunctionVersion(
            self.functions[f as usize].publish_version(description),
        ))
    }

    /// `CreateAlias`: a name for `function_version` (`$LATEST` or a published version), with an
    /// optional routing configuration (docs/lambda-behaviour.md §10.2).
    pub fn create_alias(
        &mut self,
        function: &str,
        name: &str,
        function_version: &str,
        routing: Option<&RoutingConfig>,
    ) -> Result<(), ApiError> {
        let f = self.fidx(function)?;
        let vs = self.functions[f as usize].versions_mut();
        vs.check_new_alias(name)?;
        let version = vs.version_number(function_version, "functionVersion")?;
        let additional = vs.routing(version, routing)?;
        vs.create_alias(name, version, additional)
    }

    /// `UpdateAlias`: points the alias at another version and/or changes its routing. Its
    /// provisioned environments move to the new version (docs/lambda-behaviour.md §10.5).
    pub fn update_alias(
        &mut self,
        function: &str,
        name: &str,
        function_version: &str,
        routing: Option<&RoutingConfig>,
    ) -> Result<(), ApiError> {
        let f = self.fidx(function)?;
        let vs = self.functions[f as usize].versions_mut();
        let Some(i) = vs.alias_index(name) else {
            return Err(vs.alias_not_found(name));
        };
        let version = vs.version_number(function_version, "functionVersion")?;
        let additional = vs.routing(version, routing)?;
        if vs.update_alias(i, version, additional)? {
            self.reconcile_provisioned(f);
        }
        Ok(())
    }

    /// `DeleteAlias` (its provisioned concurrency goes with it).
    pub fn delete_alias(&mut self, function: &str, name: &str) -> Result<(), ApiError> {
        let f = self.fidx(function)?;
        let vs = self.functions[f as usize].versions_mut();
        let Some(i) = vs.alias_index(name) else {
            return Err(vs.alias_not_found(name));
        };
        if vs.delete_alias(i) {
            self.reconcile_provisioned(f);
        }
        Ok(())
    }

    /// `DeleteFunction` with a version `Qualifier` (docs/lambda-behaviour.md §10.9): the version
    /// goes, with its provisioned concurrency and its environments (idle ones now, busy ones when
    /// they finish); later requests for it get `ResourceNotFoundException`. A version an alias
    /// points to (or routes a weight to) is refused, and so are `$LATEST` and an alias name.
    /// Without a qualifier AWS deletes the whole function, which the simulator does not do.
    pub fn delete_version(
        &mut self,
        function: &str,
        qualifier: Option<&str>,
    ) -> Result<(), ApiError> {
        let (name, in_name) = split_function_name(function);
        let f = self.fidx(name)?;
        let q = match (in_name, qualifier) {
            (Some(a), Some(b)) if a != b => {
                return Err(ApiError::invalid(
                    "The derived qualifier from the function name does not match the specified qualifier.",
                ))
            }
            (a, b) => a.or(b),
        };
        let vs = self.functions[f as usize].versions_mut();
        let v = match q.map(|q| (q, FunctionVersion::parse(q))) {
            None => {
                return Err(ApiError::invalid(
                    "DeleteFunction without a Qualifier deletes the whole function, which the simulator does not do: give the version number to delete",
                ))
            }
            Some(("$LATEST", _)) => {
                return Err(ApiError::invalid(
                    "$LATEST version cannot be deleted without deleting the function.",
                ))
            }
            Some((_, None)) => {
                return Err(ApiError::invalid(
                    "Deletion of aliases is not currently supported.",
                ))
            }
            Some((q, Some(v))) => match vs.published(v.0) {
                Some(_) => v.0,
                None => return Err(ApiError::not_found(&vs.qualified_arn(Some(q)))),
            },
        };
        vs.delete_version(v)?;
        self.reconcile_provisioned(f);
        for s in self.functions[f as usize].pool().reclaimable_of(v) {
            self.remove_env(
                f as usize,
                s,
                crate::state::shutdown::ShutdownReason::VersionDeleted,
            );
        }
        Ok(())
    }

    /// Looks a qualifier up (docs/lambda-behaviour.md §10.3): `None`, `$LATEST`, a version
    /// number or an alias; a version or alias that does not exist is `ResourceNotFoundException`.
    pub(crate) fn lookup_qualifier(
        &self,
        f: u32,
        qualifier: Option<&str>,
    ) -> Result<QualifierRef, ApiError> {
        self.functions[f as usize].versions().lookup(qualifier)
    }

    /// Resolves a request's qualifier (docs/lambda-behaviour.md §10.3): `None` or `$LATEST` run
    /// `$LATEST`; a version number runs that version; an alias runs its version, or its additional
    /// version with the alias's weight.
    pub(crate) fn resolve(&mut self, f: u32, qualifier: Option<&str>) -> Result<Target, ApiError> {
        let q = self.lookup_qualifier(f, qualifier)?;
        self.resolve_ref(f, q)
    }

    /// Resolves a qualifier looked up earlier ([`Simulation::lookup_qualifier`]), drawing from
    /// the simulation's PRNG for a weighted alias; an alias deleted since is
    /// `ResourceNotFoundException`.
    pub(crate) fn resolve_ref(&mut self, f: u32, q: QualifierRef) -> Result<Target, ApiError> {
        let rng = &mut self.rng;
        self.functions[f as usize]
            .versions()
            .resolve(q, |ppm| rng.chance_ppm(ppm))
    }

    /// `PutProvisionedConcurrencyConfig` (`amount` 0 = `DeleteProvisionedConcurrencyConfig`):
    /// only on a published version or an alias that points to one (docs/lambda-behaviour.md
    /// §10.4). The total over all qualifiers may not exceed the function's reserved concurrency.
    pub fn put_provisioned_concurrency(
        &mut self,
        function: &str,
        qualifier: Option<&str>,
        amount: u32,
    ) -> Result<(), ApiError> {
        let (name, in_name) = split_function_name(function);
        let f = self.fidx(name)?;
        let Some(q) = in_name.or(qualifier) else {
            return Err(ApiError::new(
                "ValidationException",
                400,
                "1 validation error detected: Value null at 'qualifier' failed to satisfy constraint: Member must not be null",
            ));
        };
        let fs = &mut self.functions[f as usize];
        let reserved = fs.config().reserved_concurrency;
        fs.versions_mut().put_provisioned(q, amount, reserved)?;
        self.reconcile_provisioned(f);
        Ok(())
    }

    /// The resource-based policy of a qualifier (`None`: the function's own), for AddPermission
    /// and RemovePermission to edit. `$LATEST` takes none (docs/lambda-behaviour.md §10.6).
    pub(crate) fn policy_mut(
        &mut self,
        f: u32,
        qualifier: Option<&str>,
    ) -> Result<&mut Option<PolicyDocument>, ApiError> {
        self.functions[f as usize].policy_mut(qualifier)
    }

    /// `PutFunctionEventInvokeConfig` with a qualifier (docs/lambda-behaviour.md §10.7).
    pub(crate) fn put_qualified_event_invoke_config(
        &mut self,
        f: u32,
        qualifier: &str,
        config: AsyncConfig,
    ) -> Result<(), ApiError> {
        let fs = &mut self.functions[f as usize];
        if qualifier == "$LATEST" {
            fs.set_async_config(config);
            return Ok(());
        }
        fs.versions_mut().put_event_invoke(qualifier, config)
    }
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn function_names_split_into_name_and_qualifier() {
        // docs/lambda-behaviour.md §10.3: name, name:qualifier, partial and full ARNs
        assert_eq!(split_function_name("f"), ("f", None));
        assert_eq!(split_function_name("f:live"), ("f", Some("live")));
        assert_eq!(split_function_name("f:$LATEST"), ("f", Some("$LATEST")));
        assert_eq!(
            split_function_name("arn:aws:lambda:us-east-1:123456789012:function:f:3"),
            ("f", Some("3"))
        );
        assert_eq!(
            split_function_name("arn:aws:lambda:us-east-1:123456789012:function:f"),
            ("f", None)
        );
        assert_eq!(
            split_function_name("123456789012:function:f:live"),
            ("f", Some("live"))
        );
    }
}
