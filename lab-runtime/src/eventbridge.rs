//! Simulated EventBridge event buses: Lambda puts a destination record on a bus as an event
//! (`source` `lambda`, `detail-type` success or failure, the record as `detail`); each rule whose
//! pattern matches sends it to its targets, an SQS queue (the event as the body) or a function
//! (invoked asynchronously by `events.amazonaws.com`), docs/lambda-behaviour.md §1.15.

use crate::esm_stream::js;
use crate::sim::Simulation;
use crate::state::destination::Sent;
use crate::state::event_bus::{check_target, EventBus, Rule};
use crate::timefmt::iso8601;

impl Simulation {
    /// `CreateEventBus` with its rules (`PutRule`, `PutTargets`).
    pub fn create_event_bus(
        &mut self,
        name: &str,
        rules: &[Rule],
    ) -> Result<(), crate::error::ApiError> {
        for t in rules.iter().flat_map(|r| &r.targets) {
            check_target(t).map_err(crate::error::ApiError::invalid)?;
        }
        let b = EventBus::new(name, rules);
        match self.buses.iter_mut().find(|o| o.name() == name) {
            Some(o) => *o = b,
            None => self.buses.push(b),
        }
        Ok(())
    }

    /// The buses, in the order created.
    pub fn event_buses(&self) -> &[EventBus] {
        &self.buses
    }

    /// A bus by name.
    pub fn event_bus(&self, name: &str) -> Option<&EventBus> {
        self.buses.iter().find(|b| b.name() == name)
    }

    /// Puts a destination record of function `function_arn` on a bus: false when the bus does
    /// not exist.
    pub(crate) fn put_lambda_event(
        &mut self,
        bus: &str,
        record: &str,
        sent: Sent,
        function_arn: &str,
    ) -> bool {
        let Some(bi) = self.buses.iter().position(|b| b.name() == bus) else {
            return false;
        };
        let detail_type = sent.detail_type();
        let targets = self.buses[bi].put("lambda", detail_type);
        let (region, account) = (&self.account.region, &self.account.id);
        let bus_arn = format!("arn:aws:events:{region}:{account}:event-bus/{bus}");
        let event = format!(
            r#"{{"version":"0","id":"{}","detail-type":"{detail_type}","source":"lambda","account":"{account}","time":"{}","region":"{region}","resources":[{},{}],"detail":{record}}}"#,
            crate::model::RequestId(self.next_id),
            iso8601(self.now),
            js(&bus_arn),
            js(function_arn),
        );
        self.next_id += 1;
        for (rule, target) in targets {
            let rule_arn = format!(
                "arn:aws:events:{}:{}:rule/{bus}/{rule}",
                self.account.region, self.account.id
            );
            let ok = self.deliver_to_subscriber(
                &target,
                &event,
                || event.clone(),
                "events.amazonaws.com",
                rule_arn,
            );
            self.buses[bi].delivery(ok);
        }
        true
    }
}
