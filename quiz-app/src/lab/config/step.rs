//! Reading a form of the panel into a [`Step`]: numbers and JSON are checked here only as far as
//! they must be to build the step; the simulator answers the rest as AWS would.

use course_model::lab::{Lab, Step};
use wasm_bindgen::JsCast;

use super::FORMS;
use crate::lab::ui::Values;

fn int(s: &str) -> Result<u32, String> {
    s.trim()
        .parse()
        .map_err(|_| format!("ValidationException: '{}' is not a whole number", s.trim()))
}

fn json(s: &str) -> Result<(), String> {
    js_sys::JSON::parse(s).map(|_| ()).map_err(|e| {
        let why = e
            .dyn_into::<js_sys::Error>()
            .map(|e| String::from(e.message()))
            .unwrap_or_default();
        format!("MalformedPolicyDocumentException: the policy is not valid JSON ({why})")
    })
}

/// Ids separated by commas or spaces.
fn ids(text: &str) -> Vec<String> {
    text.split([',', ' '])
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The step the form with class `lab-form-{form}` asks for; `Err` is a message about its values.
/// `None` when the form is not one of the panel's.
pub fn step(
    lab: &Lab,
    values: &Values,
    form: &str,
) -> Option<(&'static str, Result<Step, String>)> {
    let (form, _) = FORMS.iter().find(|(f, _)| *f == form)?;
    let v = |class: &str| values.get(class);
    let function = lab.function.clone();
    let chosen = |class: &str| Some(v(class)).filter(|q| !q.is_empty());
    let step = match *form {
        "config" => (|| {
            Ok(Step::Configure {
                function,
                memory_mb: Some(int(&v("lab-memory"))?),
                timeout_s: Some(int(&v("lab-timeout"))?),
                ephemeral_storage_mb: Some(int(&v("lab-storage"))?),
            })
        })(),
        "reserved" => {
            let r = v("lab-reserved");
            let r = r.trim();
            (if r.is_empty() {
                Ok(None)
            } else {
                int(r).map(Some)
            })
            .map(|reserved| Step::SetReserved { function, reserved })
        }
        "provisioned" => int(&v("lab-provisioned")).map(|amount| Step::SetProvisioned {
            function,
            amount,
            qualifier: chosen("lab-provisioned-qualifier").map(|q| q.trim().to_owned()),
        }),
        "publish" => Ok(Step::PublishVersion {
            function,
            description: None,
        }),
        "delete-version" => Ok(Step::DeleteVersion {
            function,
            version: v("lab-delete-version").trim().to_owned(),
        }),
        "alias" => (|| {
            let mut weights = litemap::LiteMap::new();
            if let Some(extra) = chosen("lab-alias-extra") {
                let w = v("lab-alias-weight");
                let w: f64 = w.trim().parse().map_err(|_| {
                    format!(
                        "ValidationException: '{}' is not a weight from 0 to 1",
                        w.trim()
                    )
                })?;
                weights.insert(extra.trim().to_owned(), w);
            }
            Ok(Step::SetAlias {
                function,
                alias: v("lab-alias").trim().to_owned(),
                function_version: v("lab-alias-version").trim().to_owned(),
                additional_version_weights: weights,
            })
        })(),
        "async" => (|| {
            Ok(Step::SetAsync {
                function,
                maximum_retry_attempts: int(&v("lab-retries"))?,
                maximum_event_age_s: int(&v("lab-max-age"))?,
                dead_letter_queue: chosen("lab-dlq"),
                on_failure: chosen("lab-on-failure"),
                on_success: chosen("lab-on-success"),
            })
        })(),
        "vpc" => Ok(Step::SetVpc {
            function,
            subnet_ids: ids(&v("lab-subnets")),
            security_group_ids: ids(&v("lab-security-groups")),
        }),
        "policy" => {
            let p = v("lab-policy");
            let p = p.trim();
            (if p.is_empty() { Ok(()) } else { json(p) }).map(|()| Step::PutFunctionPolicy {
                function,
                policy: (!p.is_empty()).then(|| p.to_owned()),
            })
        }
        "role" => {
            let p = v("lab-role-policy");
            json(p.trim()).map(|()| Step::PutRolePolicy {
                function,
                policy: p.trim().to_owned(),
            })
        }
        "managed" => Ok(Step::AttachManagedPolicy {
            function,
            policy: v("lab-managed"),
        }),
        "detach" => {
            let policy = v("lab-detach");
            if policy.is_empty() {
                Err("Nothing to detach: the execution role has no managed policy attached".into())
            } else {
                Ok(Step::DetachManagedPolicy { function, policy })
            }
        }
        "trust" => {
            let p = v("lab-trust-policy");
            json(p.trim()).map(|()| Step::PutTrustPolicy {
                function,
                policy: p.trim().to_owned(),
            })
        }
        _ => return None,
    };
    Some((form, step))
}
