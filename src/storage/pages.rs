//! Public reads gathered into one round trip: a page's record and its lists
//! in one D1 batch (in the read session), never one query after another.

use serde::Deserialize;
use serde_json::Value;
use worker::{D1PreparedStatement, D1Result, Result};

use super::queries as q;
use super::rows;
use super::{CouncilRow, Param, Param::*, Store};

impl Store {
    /// The council and `more` reads in one batch; `None` when there is no such council.
    async fn council_and(
        &self,
        council_id: &str,
        more: Vec<D1PreparedStatement>,
    ) -> Result<Option<(CouncilRow, Vec<D1Result>)>> {
        let mut statements = vec![self.statement(q::GET_COUNCIL, &[Text(council_id)])?];
        statements.extend(more);
        let mut results = self.reads(statements).await?;
        let rest = results.split_off(1);
        Ok(results[0].results::<CouncilRow>()?.into_iter().next().map(|council| (council, rest)))
    }

    /// The council and the rows of one read of its data.
    async fn council_and_rows<T: for<'de> Deserialize<'de>>(
        &self,
        council_id: &str,
        sql: &str,
        params: &[Param<'_>],
    ) -> Result<Option<(CouncilRow, Vec<T>)>> {
        let Some((council, results)) = self.council_and(council_id, vec![self.statement(sql, params)?]).await? else {
            return Ok(None);
        };
        Ok(Some((council, results[0].results()?)))
    }

    /// The council's committees.
    pub async fn council_committees_page(
        &self,
        council_id: &str,
    ) -> Result<Option<(CouncilRow, Vec<rows::CouncilCommittee>)>> {
        self.council_and_rows(council_id, q::COUNCIL_COMMITTEES, &[Text(council_id)]).await
    }

    /// The council's councillors.
    pub async fn council_councillors_page(
        &self,
        council_id: &str,
    ) -> Result<Option<(CouncilRow, Vec<rows::Councillor>)>> {
        self.council_and_rows(council_id, q::COUNCIL_COUNCILLORS, &[Text(council_id)]).await
    }

    /// The council's meetings in a window, from `cursor`.
    pub async fn council_meetings_page(
        &self,
        council_id: &str,
        (from, to): (&str, &str),
        cursor: (&str, &str),
        limit: usize,
    ) -> Result<Option<(CouncilRow, Vec<rows::CouncilMeeting>)>> {
        let params =
            [Text(council_id), Text(from), Text(to), Text(cursor.0), Text(cursor.1), Int(limit.min(1000) as i64)];
        self.council_and_rows(council_id, q::COUNCIL_MEETINGS, &params).await
    }

    /// The council's decisions in a window, of one maker or key ones only when asked.
    pub async fn council_decisions_page(
        &self,
        council_id: &str,
        (from, to): (&str, &str),
        maker: Option<&str>,
        key_only: bool,
    ) -> Result<Option<(CouncilRow, Vec<rows::DecisionListed>)>> {
        let params = [Text(council_id), Text(from), Text(to), OptText(maker), Bool(key_only)];
        self.council_and_rows(council_id, q::COUNCIL_DECISIONS, &params).await
    }

    /// The council's calendar: its meetings (of one committee) from `from`.
    pub async fn council_calendar(
        &self,
        council_id: &str,
        committee_id: Option<&str>,
        from: &str,
    ) -> Result<Option<(CouncilRow, Vec<rows::CalendarMeeting>)>> {
        self.council_and_rows(council_id, q::CALENDAR_MEETINGS, &[Text(council_id), OptText(committee_id), Text(from)])
            .await
    }

    /// `/councils/{id}`: the council, its meetings in the window and the week's digest.
    #[allow(clippy::type_complexity)]
    pub async fn council_page(
        &self,
        council_id: &str,
        (from, to): (&str, &str),
        week: &str,
    ) -> Result<Option<(CouncilRow, Vec<rows::CouncilMeeting>, Option<Value>)>> {
        let more = vec![
            self.statement(
                q::COUNCIL_MEETINGS,
                &[Text(council_id), Text(from), Text(to), Text(""), Text(""), Int(1000)],
            )?,
            self.statement(q::LATEST_DIGEST, &[Text(council_id), Text(week)])?,
        ];
        let Some((council, results)) = self.council_and(council_id, more).await? else { return Ok(None) };
        let digest = results[1].results::<Value>()?.into_iter().next().map(super::summaries::published);
        Ok(Some((council, results[0].results()?, digest)))
    }

    /// A committee's page: its council, the committee and its meetings.
    #[allow(clippy::type_complexity)]
    pub async fn committee_page(
        &self,
        council_id: &str,
        committee_id: &str,
    ) -> Result<Option<(CouncilRow, Option<rows::Committee>, Vec<rows::CommitteeMeeting>)>> {
        let more = vec![
            self.statement(q::GET_COMMITTEE, &[Text(committee_id)])?,
            self.statement(q::COMMITTEE_MEETINGS, &[Text(committee_id)])?,
        ];
        let Some((council, results)) = self.council_and(council_id, more).await? else { return Ok(None) };
        let committee = results[0].results::<rows::Committee>()?.into_iter().next();
        Ok(Some((council, committee, results[1].results()?)))
    }

    /// A week's page: the council and the week's newest digest.
    pub async fn week_page(&self, council_id: &str, week: &str) -> Result<Option<(CouncilRow, Option<Value>)>> {
        let more = vec![self.statement(q::LATEST_DIGEST, &[Text(council_id), Text(week)])?];
        let Some((council, results)) = self.council_and(council_id, more).await? else { return Ok(None) };
        Ok(Some((council, results[0].results::<Value>()?.into_iter().next().map(super::summaries::published))))
    }

    /// A feed: the council, its newest summaries since `since` (of one
    /// committee, or of the council with its decisions), newest first.
    pub async fn council_feed(
        &self,
        council_id: &str,
        committee_id: Option<&str>,
        since: &str,
    ) -> Result<Option<(CouncilRow, Vec<rows::FeedItem>)>> {
        let mut more =
            vec![self.statement(q::FEED_SUMMARIES, &[Text(council_id), OptText(committee_id), Text(since)])?];
        if committee_id.is_none() {
            more.push(self.statement(q::FEED_DECISIONS, &[Text(council_id), Text(since)])?);
        }
        let Some((council, results)) = self.council_and(council_id, more).await? else { return Ok(None) };
        let mut items: Vec<rows::FeedItem> =
            results[0].results::<rows::SummaryFeedRow>()?.into_iter().map(rows::FeedItem::Summary).collect();
        if let Some(decisions) = results.get(1) {
            items.extend(decisions.results::<rows::DecisionFeedRow>()?.into_iter().map(rows::FeedItem::Decision));
        }
        Ok(Some((council, items)))
    }

    /// The home page: every council and the newest summaries.
    pub async fn home_page(&self) -> Result<(Vec<CouncilRow>, Vec<rows::LatestSummary>)> {
        let results =
            self.reads(vec![self.statement(q::LIST_COUNCILS, &[])?, self.statement(q::LATEST_SUMMARIES, &[])?]).await?;
        Ok((results[0].results()?, results[1].results()?))
    }

    /// A person, their votes from `after` (newest first, `limit` of them)
    /// and their newest `party_line` votes, which the party line is reckoned
    /// over; `None` when there is no such person.
    #[allow(clippy::type_complexity)]
    pub async fn person_votes_page(
        &self,
        person_id: &str,
        after: (&str, &str),
        limit: usize,
        party_line: usize,
    ) -> Result<Option<(rows::Person, Vec<rows::PersonVote>, Vec<rows::PersonVote>)>> {
        let results = self
            .reads(vec![
                self.statement(q::GET_PERSON, &[Text(person_id)])?,
                self.statement(q::PERSON_VOTES, &[Text(person_id), Text(after.0), Text(after.1), Int(limit as i64)])?,
                self.statement(q::PERSON_VOTES, &[Text(person_id), Text(""), Text(""), Int(party_line as i64)])?,
            ])
            .await?;
        let Some(person) = results[0].results::<rows::Person>()?.into_iter().next() else { return Ok(None) };
        Ok(Some((person, results[1].results()?, results[2].results()?)))
    }
}
