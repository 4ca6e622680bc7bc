//! A council's health as its runs left it, read for `/status` and the
//! council's status page, and the flag that tells operators once.

use worker::Result;

use super::queries as q;
use super::rows::{CouncilHealth, CouncilRuns, Failure};
use super::{Param::*, Store};

impl Store {
    /// Every council being read, or read before, with its runs' facts.
    pub async fn councils_health(&self) -> Result<Vec<CouncilRuns>> {
        self.rows(q::COUNCILS_HEALTH, &[]).await
    }

    /// One council's health and what failed since its last good read, in one
    /// round trip: `today` and `oldest` bound the meetings awaiting minutes.
    pub async fn council_health(
        &self,
        council_id: &str,
        today: &str,
        oldest: &str,
    ) -> Result<Option<(CouncilHealth, Vec<Failure>)>> {
        let results = self
            .reads(vec![
                self.statement(q::COUNCIL_HEALTH, &[Text(council_id), Text(today), Text(oldest)])?,
                self.statement(q::COUNCIL_FAILURES, &[Text(council_id)])?,
            ])
            .await?;
        let Some(health) = results[0].results::<CouncilHealth>()?.into_iter().next() else { return Ok(None) };
        Ok(Some((health, results[1].results()?)))
    }

    /// Records that operators were told the council has been failing since
    /// `since`; false when they were told of this run of failures already.
    pub async fn flag_failing(&self, council_id: &str, since: &str, now: &str) -> Result<bool> {
        #[derive(serde::Deserialize)]
        struct Flagged {
            #[allow(dead_code)]
            id: String,
        }
        Ok(self.row::<Flagged>(q::FLAG_FAILING, &[Text(council_id), Text(now), Text(since)]).await?.is_some())
    }
}
