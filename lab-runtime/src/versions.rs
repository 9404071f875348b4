//! Versions and aliases (docs/lambda-behaviour.md §10): `PublishVersion` snapshots `$LATEST`'s
//! code and configuration as version 1, 2, ...; an alias names a version, optionally with a second
//! version and its weight (`RoutingConfig`); `Invoke` takes a qualifier (`fn:3`, `fn:live`, a
//! qualified ARN). Provisioned concurrency, resource-based policy statements added with a
//! qualifier, and asynchronous settings belong to one version or alias; a weighted alias divides
//! its provisioned concurrency between its two versions. Event source mappings may invoke a
//! version or alias (§10.8), and `DeleteFunction` with a version number deletes one version
//! (§10.9).
//!
//! The function's state ([`crate::state::function::FunctionState`]) holds its versions, aliases and
//! provisioned concurrency lanes; this file owns their rules.

use crate::config::{AsyncConfig, FunctionConfig};
use crate::environment::NO_LANE;
use crate::error::ApiError;
use crate::iam::PolicyDocument;
use crate::model::FunctionVersion;
use crate::sim::Simulation;
use crate::state::function::FunctionState;
use crate::state::versions::{
    split_function_name, Alias, ProvisionedLane, PublishedVersion, QualifierRef, RoutingConfig,
    Target, NO_ALIAS,
};

fn alias_name_ok(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 128
        && !name.bytes().all(|b| b.is_ascii_digit())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

impl Simulation {
    /// The version alias `alias` of `function` points to, if both exist.
    pub fn alias_version(&self, function: &str, alias: &str) -> Option<FunctionVersion> {
        let f = self.function_index(function)?;
        self.functions[f as usize]
            .alias(alias)
            .map(|a| FunctionVersion(a.version))
    }

    /// One line for the console: "Versions: 1, 2 · aliases: live → 1 (+ 2 at 10 %) · provisioned:
    /// live 2".
    pub fn versions_line(&self, function: &str) -> String {
        let Some(f) = self.function_index(function) else {
            return String::new();
        };
        let fs = &self.functions[f as usize];
        let versions: Vec<String> = fs
            .versions
            .iter()
            .filter(|v| !v.deleted)
            .map(|v| v.number.to_string())
            .collect();
        let aliases: Vec<String> = fs
            .alias_views()
            .iter()
            .map(|a| match a.additional {
                Some((v, w)) => format!(
                    "{} → {} (+ {v} at {:.0} %)",
                    a.name,
                    a.function_version,
                    w * 100.0
                ),
                None => format!("{} → {}", a.name, a.function_version),
            })
            .collect();
        let mut pc: Vec<String> = Vec::new();
        for (i, l) in fs.lanes.iter().enumerate() {
            let total = fs.provisioned_on(&l.qualifier);
            if total == 0 || fs.lanes[..i].iter().any(|o| o.qualifier == l.qualifier) {
                continue;
            }
            let split = fs
                .alias(&l.qualifier)
                .and_then(|a| a.additional_lane)
                .map(|x| &fs.lanes[x as usize])
                .filter(|x| x.amount > 0);
            pc.push(match split {
                Some(x) => format!(
                    "{} {total} ({} on version {})",
                    l.qualifier, x.amount, x.version
                ),
                None => format!("{} {total}", l.qualifier),
            });
        }
        let none = |v: Vec<String>| {
            if v.is_empty() {
                "none".to_string()
            } else {
                v.join(", ")
            }
        };
        format!(
            "Versions: {} · aliases: {} · provisioned: {}",
            none(versions),
            none(aliases),
            none(pc)
        )
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
        let fs = &mut self.functions[f as usize];
        if let Some(last) = fs.versions.last().filter(|v| !v.deleted) {
            if versioned(&last.config) == versioned(&fs.config) {
                return Ok(FunctionVersion(last.number));
            }
        }
        let number = fs.versions.len() as u32 + 1;
        fs.versions.push(PublishedVersion {
            number,
            config: fs.config.clone(),
            description: description.unwrap_or_default().to_string(),
            policy: None,
            event_invoke: None,
            lane: None,
            arn: fs.qualified_arn(Some(&number.to_string())).into(),
            deleted: false,
            compiled: fs.compiled.clone(),
            error_ppm: fs.error_ppm,
            identity: fs.identity.clone(),
            logs_allowed: fs.logs_allowed,
        });
        Ok(FunctionVersion(number))
    }

    fn version_number(&self, f: u32, v: &str, field: &str) -> Result<u32, ApiError> {
        let fs = &self.functions[f as usize];
        match FunctionVersion::parse(v) {
            Some(n) if n.is_latest() || fs.published(n.0).is_some() => Ok(n.0),
            Some(_) => Err(ApiError::new(
                "ResourceNotFoundException",
                404,
                format!("Function not found: {}", fs.qualified_arn(Some(v))),
            )),
            None => Err(ApiError::new(
                "ValidationException",
                400,
                format!("1 validation error detected: Value '{v}' at '{field}' failed to satisfy constraint: Member must satisfy regular expression pattern: (\\$LATEST|[0-9]+)"),
            )),
        }
    }

    fn routing(
        &self,
        f: u32,
        primary: u32,
        routing: Option<&RoutingConfig>,
    ) -> Result<Option<(u32, f64)>, ApiError> {
        let Some(r) = routing else {
            return Ok(None);
        };
        let mut it = r.additional_version_weights.iter();
        let Some((v, w)) = it.next() else {
            return Ok(None);
        };
        if it.next().is_some() {
            return Err(ApiError::invalid(
                "Number of items in AdditionalVersionWeights cannot be greater than 1",
            ));
        }
        if !(0.0..=1.0).contains(w) {
            return Err(ApiError::new(
                "ValidationException",
                400,
                format!("1 validation error detected: Value '{w}' at 'routingConfig.additionalVersionWeights' failed to satisfy constraint: Map value must satisfy constraint: [Member must have value less than or equal to 1.0, Member must have value greater than or equal to 0.0]"),
            ));
        }
        if primary == 0 || v == "$LATEST" {
            return Err(ApiError::invalid(
                "$LATEST is not supported for an alias pointing to more than 1 version",
            ));
        }
        let n = self.version_number(f, v, "routingConfig.additionalVersionWeights")?;
        if n == primary {
            return Err(ApiError::invalid(
                "Function version and additional version must be different",
            ));
        }
        Ok(Some((n, *w)))
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
        if !alias_name_ok(name) {
            return Err(ApiError::new(
                "ValidationException",
                400,
                format!("1 validation error detected: Value '{name}' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: (?!^[0-9]+$)([a-zA-Z0-9-_]+)"),
            ));
        }
        if self.functions[f as usize].alias(name).is_some() {
            return Err(ApiError::new(
                "ResourceConflictException",
                409,
                format!(
                    "Alias already exists: {}",
                    self.functions[f as usize].qualified_arn(Some(name))
                ),
            ));
        }
        let version = self.version_number(f, function_version, "functionVersion")?;
        let additional = self.routing(f, version, routing)?;
        let arn = self.functions[f as usize].qualified_arn(Some(name)).into();
        self.functions[f as usize].aliases.push(Alias {
            name: name.to_string(),
            version,
            additional,
            policy: None,
            event_invoke: None,
            lane: None,
            additional_lane: None,
            arn,
            deleted: false,
        });
        Ok(())
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
        let Some(i) = self.functions[f as usize].alias_index(name) else {
            return Err(alias_not_found(&self.functions[f as usize], name));
        };
        let version = self.version_number(f, function_version, "functionVersion")?;
        let additional = self.routing(f, version, routing)?;
        if version == 0 && self.functions[f as usize].aliases[i].lane.is_some() {
            return Err(unpublished_pc());
        }
        let a = &mut self.functions[f as usize].aliases[i];
        a.version = version;
        a.additional = additional;
        if a.lane.is_some() || a.additional_lane.is_some() {
            self.split_alias_lanes(f, i);
            self.reconcile_provisioned(f);
        }
        Ok(())
    }

    /// `DeleteAlias` (its provisioned concurrency goes with it).
    pub fn delete_alias(&mut self, function: &str, name: &str) -> Result<(), ApiError> {
        let f = self.fidx(function)?;
        let Some(i) = self.functions[f as usize].alias_index(name) else {
            return Err(alias_not_found(&self.functions[f as usize], name));
        };
        let fs = &mut self.functions[f as usize];
        fs.aliases[i].deleted = true;
        let lanes = [
            fs.aliases[i].lane.take(),
            fs.aliases[i].additional_lane.take(),
        ];
        if lanes.iter().any(Option::is_some) {
            for l in lanes.into_iter().flatten() {
                fs.lanes[l as usize].amount = 0;
            }
            self.reconcile_provisioned(f);
        }
        Ok(())
    }

    /// Divides an alias's provisioned concurrency between its versions by the routing weight
    /// (docs/lambda-behaviour.md §10.5): the additional version gets the weight's share, rounded,
    /// in a lane of its own; the primary version the rest. Without a weight (or a share that
    /// rounds to 0) the primary version has it all.
    fn split_alias_lanes(&mut self, f: u32, i: usize) {
        let fs = &mut self.functions[f as usize];
        let a = &fs.aliases[i];
        let Some(pl) = a.lane else {
            if let Some(x) = fs.aliases[i].additional_lane.take() {
                fs.lanes[x as usize].amount = 0;
            }
            return;
        };
        let total = fs.lanes[pl as usize].amount
            + a.additional_lane.map_or(0, |x| fs.lanes[x as usize].amount);
        let (primary, additional, old) = (a.version, a.additional, a.additional_lane);
        let share = match additional {
            Some((_, w)) => ((total as f64 * w).round() as u32).min(total),
            None => 0,
        };
        fs.lanes[pl as usize].version = primary;
        fs.lanes[pl as usize].amount = total - share;
        match additional {
            Some((v, _)) if share > 0 => {
                let x = match old {
                    Some(x) => x,
                    None => {
                        // a lane of this alias left from an earlier split, or a new one
                        let name = &fs.aliases[i].name;
                        match (0..fs.lanes.len())
                            .find(|&x| x != pl as usize && fs.lanes[x].qualifier == *name)
                        {
                            Some(x) => x as u32,
                            None => {
                                fs.lanes.push(ProvisionedLane {
                                    qualifier: name.clone(),
                                    version: v,
                                    amount: 0,
                                });
                                fs.lanes.len() as u32 - 1
                            }
                        }
                    }
                };
                fs.lanes[x as usize].version = v;
                fs.lanes[x as usize].amount = share;
                fs.aliases[i].additional_lane = Some(x);
            }
            _ => {
                if let Some(x) = fs.aliases[i].additional_lane.take() {
                    fs.lanes[x as usize].amount = 0;
                }
            }
        }
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
        let fs = &self.functions[f as usize];
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
            Some((q, Some(v))) => match fs.published(v.0) {
                Some(_) => v.0,
                None => return Err(ApiError::not_found(&fs.qualified_arn(Some(q)))),
            },
        };
        let referencing: Vec<&str> = fs
            .aliases
            .iter()
            .filter(|a| !a.deleted && (a.version == v || a.additional.is_some_and(|(x, _)| x == v)))
            .map(|a| a.name.as_str())
            .collect();
        if !referencing.is_empty() {
            return Err(ApiError::new(
                "ResourceConflictException",
                409,
                format!(
                    "Unable to delete version because the following aliases reference it: [{}]",
                    referencing.join(", ")
                ),
            ));
        }
        let fs = &mut self.functions[f as usize];
        let p = &mut fs.versions[v as usize - 1];
        p.deleted = true;
        if let Some(l) = p.lane.take() {
            fs.lanes[l as usize].amount = 0;
        }
        self.reconcile_provisioned(f);
        for s in self.functions[f as usize].pool.reclaimable_of(v) {
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
        let q = match qualifier {
            None => return Ok(QualifierRef::Unqualified),
            Some("$LATEST") => return Ok(QualifierRef::Latest),
            Some(q) => q,
        };
        let fs = &self.functions[f as usize];
        if let Some(v) = FunctionVersion::parse(q) {
            return match fs.published(v.0) {
                Some(_) => Ok(QualifierRef::Version(v.0)),
                None => Err(ApiError::not_found(&fs.qualified_arn(Some(q)))),
            };
        }
        match fs.alias_index(q) {
            Some(i) => Ok(QualifierRef::Alias(i as u32)),
            None => Err(ApiError::not_found(&fs.qualified_arn(Some(q)))),
        }
    }

    /// Resolves a request's qualifier (docs/lambda-behaviour.md §10.3): `None` or `$LATEST` run
    /// `$LATEST`; a version number runs that version; an alias runs its version, or its additional
    /// version with the alias's weight.
    pub(crate) fn resolve(&mut self, f: u32, qualifier: Option<&str>) -> Result<Target, ApiError> {
        let q = self.lookup_qualifier(f, qualifier)?;
        self.resolve_ref(f, q)
    }

    /// Resolves a qualifier looked up earlier ([`Simulation::lookup_qualifier`]); an alias
    /// deleted since is `ResourceNotFoundException`.
    pub(crate) fn resolve_ref(&mut self, f: u32, q: QualifierRef) -> Result<Target, ApiError> {
        let fs = &self.functions[f as usize];
        let i = match q {
            QualifierRef::Unqualified => return Ok(Target::LATEST),
            QualifierRef::Latest => {
                return Ok(Target {
                    qualified: true,
                    ..Target::LATEST
                })
            }
            QualifierRef::Version(v) => {
                let p = &fs.versions[v as usize - 1];
                if p.deleted {
                    return Err(ApiError::not_found(&p.arn));
                }
                return Ok(Target {
                    version: v,
                    lane: p.lane.unwrap_or(NO_LANE),
                    alias: NO_ALIAS,
                    qualified: true,
                });
            }
            QualifierRef::Alias(i) => i as usize,
        };
        let a = &fs.aliases[i];
        if a.deleted {
            return Err(ApiError::not_found(&a.arn));
        }
        let (primary, additional, lane, extra) =
            (a.version, a.additional, a.lane, a.additional_lane);
        let version = match additional {
            Some((v, w)) if w > 0.0 => {
                // the weight's share of requests goes to the additional version
                let ppm = (w * 1_000_000.0).round() as u32;
                if self.rng.chance_ppm(ppm) {
                    v
                } else {
                    primary
                }
            }
            _ => primary,
        };
        Ok(Target {
            version,
            // each version has its share of the alias's provisioned environments
            // (docs/lambda-behaviour.md §10.5)
            lane: if version == primary { lane } else { extra }.unwrap_or(NO_LANE),
            alias: i as u32,
            qualified: true,
        })
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
        if q == "$LATEST" {
            return Err(unpublished_pc());
        }
        let fs = &self.functions[f as usize];
        let version = match FunctionVersion::parse(q) {
            Some(v) if fs.published(v.0).is_some() => v.0,
            Some(_) => return Err(ApiError::not_found(&fs.qualified_arn(Some(q)))),
            None => match fs.alias(q) {
                Some(a) if a.version == 0 => return Err(unpublished_pc()),
                Some(a) => a.version,
                None => return Err(alias_not_found(fs, q)),
            },
        };
        let others = fs.provisioned_total() - fs.provisioned_on(q);
        if let Some(r) = fs.config.reserved_concurrency {
            if others + amount > r {
                return Err(ApiError::invalid(
                    "Requested Provisioned Concurrency should not be greater than the reservedConcurrentExecution for function.",
                ));
            }
        }
        let fs = &mut self.functions[f as usize];
        let lane = match fs.lanes.iter().position(|l| l.qualifier == q) {
            Some(l) => l as u32,
            None => {
                fs.lanes.push(ProvisionedLane {
                    qualifier: q.to_string(),
                    version,
                    amount: 0,
                });
                fs.lanes.len() as u32 - 1
            }
        };
        fs.lanes[lane as usize].amount = amount;
        fs.lanes[lane as usize].version = version;
        if FunctionVersion::parse(q).is_some() {
            fs.versions[version as usize - 1].lane = (amount > 0).then_some(lane);
        } else {
            let i = fs.alias_index(q).expect("alias");
            fs.aliases[i].lane = (amount > 0).then_some(lane);
            // the amount is the alias's whole; a routing weight divides it anew
            if let Some(x) = fs.aliases[i].additional_lane {
                fs.lanes[x as usize].amount = 0;
            }
            self.split_alias_lanes(f, i);
        }
        self.reconcile_provisioned(f);
        Ok(())
    }

    /// The resource-based policy of a qualifier, creating it when `create` (AddPermission).
    /// `$LATEST` takes none (docs/lambda-behaviour.md §10.6).
    pub(crate) fn qualified_policy_mut(
        &mut self,
        f: u32,
        qualifier: &str,
    ) -> Result<&mut Option<PolicyDocument>, ApiError> {
        if qualifier == "$LATEST" {
            return Err(ApiError::invalid(
                "We currently do not support adding policies for $LATEST.",
            ));
        }
        let fs = &mut self.functions[f as usize];
        match FunctionVersion::parse(qualifier) {
            Some(v) if fs.published(v.0).is_some() => Ok(&mut fs.versions[v.0 as usize - 1].policy),
            Some(_) => Err(ApiError::not_found(&fs.qualified_arn(Some(qualifier)))),
            None => match fs.alias_index(qualifier) {
                Some(i) => Ok(&mut fs.aliases[i].policy),
                None => Err(alias_not_found(fs, qualifier)),
            },
        }
    }

    /// `PutFunctionEventInvokeConfig` with a qualifier (docs/lambda-behaviour.md §10.7).
    pub(crate) fn put_qualified_event_invoke_config(
        &mut self,
        f: u32,
        qualifier: &str,
        config: AsyncConfig,
    ) -> Result<(), ApiError> {
        if qualifier == "$LATEST" {
            self.functions[f as usize].config.async_config = config;
            return Ok(());
        }
        let fs = &mut self.functions[f as usize];
        let slot = match FunctionVersion::parse(qualifier) {
            Some(v) => match fs.versions.get_mut(v.0 as usize - 1).filter(|p| !p.deleted) {
                Some(p) => &mut p.event_invoke,
                None => return Err(ApiError::not_found(&fs.qualified_arn(Some(qualifier)))),
            },
            None => match fs.alias_index(qualifier) {
                Some(i) => &mut fs.aliases[i].event_invoke,
                None => return Err(alias_not_found(fs, qualifier)),
            },
        };
        *slot = Some(config);
        Ok(())
    }
}

/// The part of a configuration a version freezes: not reserved concurrency (the function's) nor
/// the asynchronous settings (per qualifier), but the dead-letter queue (a function setting).
fn versioned(c: &FunctionConfig) -> FunctionConfig {
    let mut c = c.clone();
    c.reserved_concurrency = None;
    c.async_config = AsyncConfig {
        dead_letter_queue: c.async_config.dead_letter_queue.take(),
        ..AsyncConfig::default()
    };
    c
}

fn unpublished_pc() -> ApiError {
    // docs/lambda-behaviour.md §10.4 (the message is [observed])
    ApiError::invalid(
        "Provisioned Concurrency Configs cannot be applied to unpublished function versions.",
    )
}

fn alias_not_found(fs: &FunctionState, name: &str) -> ApiError {
    ApiError::new(
        "ResourceNotFoundException",
        404,
        format!("Alias not found: {}", fs.qualified_arn(Some(name))),
    )
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

    #[test]
    fn alias_names_are_not_all_digits() {
        // docs/lambda-behaviour.md §10.2: pattern (?!^[0-9]+$)([a-zA-Z0-9-_]+)
        assert!(alias_name_ok("live"));
        assert!(alias_name_ok("v2-blue_1"));
        assert!(!alias_name_ok("12"));
        assert!(!alias_name_ok("a:b"));
        assert!(!alias_name_ok(""));
    }
}
