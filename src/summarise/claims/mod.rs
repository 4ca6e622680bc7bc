//! Claim checks on a summary's prose. The checkable things a sentence says
//! (money, percentages and shares, figures with what they count, dates,
//! financial years, times, votes, names) must each be borne out by evidence
//! of the same kind and magnitude in the sources the sentence may draw on,
//! however either side writes them (£24m = £24 million = £24,000,000; 3rd
//! March 2026 = 03/03/2026; "about £48,000" for £47,968). A sentence with a
//! claim the sources do not bear out is dropped; a kept claim keeps where it
//! was found.

mod calendar;
mod evidence;
mod read;
mod tokens;
mod votes;

pub use super::sentences::sentences;
pub use evidence::{Evidence, Match};
pub use read::{claims, Claim, ClaimKind};

/// A claim of a kept sentence and where the sources bear it out.
#[derive(Debug, Clone, PartialEq)]
pub struct Supported {
    pub written: String,
    pub kind: &'static str,
    pub found: Match,
}

/// A sentence left out, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Dropped {
    pub sentence: String,
    pub reason: String,
    /// The kinds of the claims not borne out ("amount", "name").
    pub kinds: Vec<&'static str>,
}

/// The claims of `sentence`, each borne out or not.
pub fn check(sentence: &str, evidence: &Evidence) -> Vec<(Claim, Option<Match>)> {
    claims(sentence)
        .into_iter()
        .map(|c| {
            let found = evidence.supports(&c.kind);
            (c, found)
        })
        .collect()
}

/// The claims in `sentence` that the evidence does not bear out, described.
pub fn unsupported(sentence: &str, evidence: &Evidence) -> Vec<String> {
    check(sentence, evidence)
        .into_iter()
        .filter(|(_, found)| found.is_none())
        .map(|(c, _)| format!("{} \"{}\" is not in the sources", c.kind.label(), c.written))
        .collect()
}

/// What the checks kept of a text: its kept sentences, the claims in them with
/// where each was found, and how many sentences were checked.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Kept {
    pub text: String,
    pub claims: Vec<Supported>,
    pub sentences: usize,
}

/// Keeps the sentences of `text` whose every claim the evidence bears out.
pub fn keep_supported(text: &str, evidence: &Evidence) -> (Kept, Vec<Dropped>) {
    let mut kept = Kept::default();
    let mut sentences_kept = Vec::new();
    let mut dropped = Vec::new();
    for sentence in sentences(text) {
        kept.sentences += 1;
        let checked = check(sentence, evidence);
        let missing: Vec<&Claim> = checked.iter().filter(|(_, f)| f.is_none()).map(|(c, _)| c).collect();
        if missing.is_empty() {
            sentences_kept.push(sentence);
            kept.claims.extend(
                checked.into_iter().filter_map(|(c, found)| {
                    Some(Supported { kind: c.kind.label(), written: c.written, found: found? })
                }),
            );
        } else {
            let mut kinds: Vec<&'static str> = missing.iter().map(|c| c.kind.label()).collect();
            kinds.dedup();
            let reason = missing
                .iter()
                .map(|c| format!("{} \"{}\" is not in the sources", c.kind.label(), c.written))
                .collect::<Vec<_>>()
                .join("; ");
            dropped.push(Dropped { sentence: sentence.to_string(), reason, kinds });
        }
    }
    kept.text = sentences_kept.join(" ");
    (kept, dropped)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Kent County Council, Cabinet, 30 January 2025, printed minutes (tests/fixtures/pdf).
    const KENT_CABINET: &str = "Mr Oakford, Deputy Leader and Cabinet Member for Finance, Corporate and
Traded Services, introduced the report which set out the revenue and capital
budget monitoring position as at November 2024-25 which highlighted a
projected overspend of \u{a3}23.3 million and represented 1.6% of the Council's
total revenue budget. This was a reduction of \u{a3}3.5 million compared to the end
of Q2, however, it remained a significant concern for the Authority. It was
essential to take action to reduce the forecast for 2024-25.
The current estimated capital program spend for the year was forecast to be
\u{a3}315.5 million, representing 74% of the approved budget.
Since July 2024, the Small Business Board had approved over \u{a3}2 million in loans, averaging \u{a3}400,000 per
month. RESOLVED that the minutes of the meeting on 9 January 2025 were a correct record.
To address the shortfall, the council planned to raise council tax by 2.99% and
an additional 2% for the social care premium, bringing in \u{a3}47.3 million.
Held at Council Chamber, Sessions House, County Hall, Maidstone on Thursday, 30 January 2025 at 10.00 am.";

    /// Kent County Council, 13 February 2025, printed minutes: a recorded vote.
    const KENT_COUNCIL_VOTE: &str = "voting was as follows:\n\nFor (57)\n\nMr Baker, Mr Baldock, Mr Bartlett, Mrs Bell\n\nAgainst (0)\n\nAbstain (2)\n\nMr B Lewis, Mr D Ross\nMotion carried.";

    /// The indicative budget in the item report (kent_cabinet-2025-01-30_item-report-24-00109).
    const KENT_REPORT: &str = "The indicative total budget to be transferred, at the time of writing this report, will be approximately \u{a3}59m, comprising \u{a3}56m for package costs and \u{a3}3m for staffing (based on indicative budgets for 25-26).";

    fn evidence() -> Evidence {
        Evidence::new([KENT_CABINET, KENT_COUNCIL_VOTE, KENT_REPORT])
    }

    fn checked(sentence: &str) -> Vec<String> {
        unsupported(sentence, &evidence())
    }

    #[test]
    fn money_written_any_way_is_the_same_money() {
        assert_eq!(checked("The overspend is projected at \u{a3}23.3m."), Vec::<String>::new());
        assert!(checked("The overspend is projected at \u{a3}23,300,000.").is_empty());
        assert!(checked("Capital spend was forecast at \u{a3}315.5 million.").is_empty());
        assert!(
            checked("The budget is \u{a3}59 million, with \u{a3}56m for packages and \u{a3}3m for staff.").is_empty()
        );
        assert!(checked("Loans averaged \u{a3}400k a month.").is_empty());
        assert!(checked("Loans averaged \u{a3}0.4m a month.").is_empty());
    }

    #[test]
    fn a_wrong_amount_is_caught() {
        let missing = checked("The overspend is projected at \u{a3}2.33m.");
        assert_eq!(missing, ["amount \"\u{a3}2.33m\" is not in the sources"]);
        assert_eq!(checked("The overspend is \u{a3}233 million.").len(), 1);
        assert_eq!(checked("Capital spend was \u{a3}31.5 million.").len(), 1);
    }

    #[test]
    fn a_rounded_amount_matches_what_it_rounds() {
        assert!(checked("The overspend is about \u{a3}23m.").is_empty(), "23.3 rounds to 23");
        assert!(checked("Capital spend was forecast at \u{a3}316m.").is_empty(), "315.5 rounds to 316");
        assert_eq!(checked("The overspend is about \u{a3}25m.").len(), 1);
    }

    #[test]
    fn ranges_and_mixed_amounts() {
        let evidence = Evidence::new([
            "A \u{a3}1.2 million capital and \u{a3}300k revenue budget; costs of \u{a3}1m to \u{a3}2m.",
        ]);
        assert!(unsupported("It has \u{a3}1.2m capital and \u{a3}300,000 revenue.", &evidence).is_empty());
        assert!(
            unsupported("Costs will be \u{a3}1-2m.", &evidence).is_empty(),
            "the second figure's scale is the first's"
        );
        assert!(unsupported("Costs will be \u{a3}1 to \u{a3}2 million.", &evidence).is_empty());
        assert_eq!(unsupported("Costs will be \u{a3}1-3m.", &evidence).len(), 1);
        assert_eq!(unsupported("It has \u{a3}12m capital.", &evidence).len(), 1);
    }

    #[test]
    fn percentages_and_plain_figures() {
        assert!(checked("That is 1.6% of the revenue budget and 74 per cent of the capital budget.").is_empty());
        assert!(checked("Council tax rises by 2.99% plus 2% for social care.").is_empty());
        assert_eq!(checked("Council tax rises by 4.99%.").len(), 1);
        assert_eq!(checked("The Board made 350 loans.").len(), 1, "a figure the papers never give");
        assert!(checked("Spending was 74 per cent of budget.").is_empty());
        assert_eq!(checked("Two councillors abstained.").len(), 1, "a count of people, in words, is a claim");
        assert_eq!(checked("Twelve loans were made.").len(), 1);
        assert!(checked("Two abstained.").is_empty(), "a single digit counting nothing named says too little");
        assert!(checked("It is 3 times larger.").is_empty());
    }

    #[test]
    fn dates_written_any_way_are_the_same_date() {
        for date in [
            "30 January 2025",
            "30th January 2025",
            "January 30, 2025",
            "30/01/2025",
            "30.01.25",
            "2025-01-30",
            "Thursday 30 January",
            "30 Jan 2025",
        ] {
            assert!(checked(&format!("The Cabinet met on {date}.")).is_empty(), "{date}");
        }
        assert!(checked("The minutes of 9th January 2025 were approved.").is_empty());
        assert_eq!(checked("The Cabinet met on 31 January 2025.").len(), 1);
        assert_eq!(checked("The Cabinet met on 30 January 2024.").len(), 1);
        assert_eq!(checked("The Cabinet met on 30/03/2025.").len(), 1);
        assert!(checked("Loans have been made since July 2024.").is_empty());
        assert_eq!(checked("Loans have been made since March 2024.").len(), 1);
        assert!(checked("The council may decide later.").is_empty(), "may, the verb, is no month");
    }

    #[test]
    fn financial_years_and_times_that_look_like_decimals() {
        assert!(checked("The forecast for 2024/25 is an overspend.").is_empty());
        assert!(checked("The forecast for 2024-2025 is an overspend.").is_empty());
        assert!(checked("Budgets for 2025/26 are indicative.").is_empty(), "the report writes it 25-26");
        assert_eq!(checked("The forecast for 2023/24 is an overspend.").len(), 1);
        assert!(checked("The meeting began at 10am.").is_empty());
        assert!(checked("The meeting began at 10:00.").is_empty());
        assert!(checked("The meeting began at 10.00 a.m.").is_empty());
        assert_eq!(checked("The meeting began at 10.30am.").len(), 1);
        assert_eq!(checked("The meeting began at 2pm.").len(), 1);
    }

    #[test]
    fn vote_counts() {
        assert!(checked("The motion was carried with 57 for and 0 against.").is_empty());
        assert!(checked("Members voted 57 votes to 0.").is_empty());
        assert!(checked("For: 57, against: 0.").is_empty());
        assert_eq!(checked("The motion was carried, 7 for, 3 against.").len(), 1);
        let evidence = Evidence::new(["The recommendation was carried (7 in favour, 3 against, 1 abstention)."]);
        assert!(unsupported("It was carried 7 for, 3 against.", &evidence).is_empty());
        assert_eq!(unsupported("It was carried 3 for, 7 against.", &evidence).len(), 1);
    }

    #[test]
    fn names_of_people_and_organisations() {
        assert!(checked("Mr Oakford introduced the report.").is_empty());
        assert!(checked("Members heard from the Small Business Board.").is_empty());
        assert!(checked("Councillor Oakford, the Deputy Leader, said more was needed.").is_empty());
        assert_eq!(checked("Councillor Jane Smith introduced the report.").len(), 1);
        assert_eq!(checked("The report was welcomed by Network Rail.").len(), 1);
        assert!(
            checked("Residents will see changes soon.").is_empty(),
            "a capital that starts a sentence says nothing"
        );
        assert!(checked("In Maidstone, the Cabinet met.").is_empty());
        assert_eq!(checked("In Ashford, the Cabinet met.").len(), 1);
    }

    #[test]
    fn sentences_keep_abbreviations_and_decimals_whole() {
        assert_eq!(
            sentences("Cllr. Smith spoke. The cost is \u{a3}1.2m. \"It works.\" Next item? Yes!"),
            ["Cllr. Smith spoke.", "The cost is \u{a3}1.2m.", "\"It works.\"", "Next item?", "Yes!"]
        );
    }

    #[test]
    fn only_sentences_the_sources_bear_out_are_kept() {
        let (kept, dropped) = keep_supported(
            "The Cabinet noted an overspend of \u{a3}23.3m. It was told the overspend was \u{a3}2.33m in 2023/24. Mr Oakford said action was needed.",
            &evidence(),
        );
        assert_eq!(kept.text, "The Cabinet noted an overspend of \u{a3}23.3m. Mr Oakford said action was needed.");
        assert_eq!(dropped.len(), 1);
        assert!(dropped[0].reason.contains("\u{a3}2.33m") && dropped[0].reason.contains("2023/24"), "{dropped:?}");
    }

    #[test]
    fn a_figure_is_not_borne_out_by_digits_inside_other_things() {
        let evidence = Evidence::new([
            "Loans averaged \u{a3}400,000 and 2,400 people applied; a \u{a3}1.25m grant; we met at 10.30am in July 2024.",
        ]);
        for sentence in [
            "The scheme will build 400 homes.",
            "There were 25 applications.",
            "It lasted 30 minutes.",
            "The meeting was on 15 July 2024.",
            "Some 24 people applied.",
        ] {
            assert_eq!(unsupported(sentence, &evidence).len(), 1, "{sentence}");
        }
        assert!(unsupported("About 2,400 people applied.", &evidence).is_empty());
        assert!(unsupported("The grant was \u{a3}1.25 million.", &evidence).is_empty());
        assert!(unsupported("They met in July 2024.", &evidence).is_empty());
    }

    #[test]
    fn a_figure_counts_what_its_source_counts() {
        let evidence = Evidence::new(["The site will provide 400 homes. Tickets: 18 \n The 18-25 service moves."]);
        assert!(unsupported("It provides 400 new homes.", &evidence).is_empty());
        assert!(unsupported("It provides 400 houses.", &evidence).is_empty(), "homes and houses are the same things");
        assert_eq!(unsupported("It employs 400 staff.", &evidence).len(), 1);
        assert!(unsupported("There are 18 tickets.", &evidence).is_empty(), "a bare 18 counts anything");
        assert!(unsupported("It serves 18-25 year olds.", &evidence).is_empty(), "a range matches a range");
    }

    #[test]
    fn rounding_and_hedges_as_a_reader_reads_them() {
        let evidence = Evidence::new(["Costs were \u{a3}12,275.00 and \u{a3}47,968 annually; the fund holds \u{a3}53,968 and \u{a3}2.4m; \u{a3}1,443,821.00 in all."]);
        for kept in [
            "It cost about \u{a3}12,300.",
            "It costs about \u{a3}48,000 a year.",
            "The fund holds about \u{a3}54,000.",
            "It holds more than \u{a3}2m.",
            "It came to about \u{a3}1.4 million.",
            "It costs almost \u{a3}48,000 a year.",
            "Costs were just under \u{a3}12,300.",
        ] {
            assert!(unsupported(kept, &evidence).is_empty(), "{kept}");
        }
        for dropped in [
            "The fund holds about \u{a3}58,000.",
            "It holds more than \u{a3}3m.",
            "It cost about \u{a3}12,400.",
            "It came to almost \u{a3}2 million.",
            "Costs were just over \u{a3}12,300.",
        ] {
            assert_eq!(unsupported(dropped, &evidence).len(), 1, "{dropped}");
        }
        let hedged = Evidence::new(["The Board approved over \u{a3}2 million in loans."]);
        assert!(unsupported("It approved more than \u{a3}2m.", &hedged).is_empty());
        assert_eq!(unsupported("It approved \u{a3}2.33m.", &hedged).len(), 1, "no more precise than its source");
    }

    #[test]
    fn shares_and_numbers_in_words() {
        let evidence = Evidence::new([
            "82% of councils agree. The site has 48 homes, of which 16 would be affordable. Twelve members attended.",
        ]);
        assert!(unsupported("More than four in five councils agree.", &evidence).is_empty());
        assert_eq!(unsupported("More than nine in ten councils agree.", &evidence).len(), 1);
        assert!(unsupported("A third of the homes would be affordable.", &evidence).is_empty());
        assert_eq!(unsupported("Half of the homes would be affordable.", &evidence).len(), 1);
        assert!(unsupported("A dozen members attended.", &evidence).is_empty());
        assert_eq!(unsupported("Fifteen members attended.", &evidence).len(), 1);
        assert!(unsupported("In the second half of the year it rose.", &evidence).is_empty(), "no share");
    }

    #[test]
    fn votes_as_minutes_record_them() {
        let evidence = Evidence::new([
            "AYES: Alvarez, Brennan, Choi, Dlamini, Evans, Fischer, Grant\nABSENT: Hughes\nRESULT: APPROVED AS AMENDED [UNANIMOUS]\n",
            "NAYS: Brennan, Choi\nAYES: Evans, Grant, Fischer, Alvarez\nABSTAIN: Dlamini\nRESULT: FAILED [4-2-1-1]\n",
        ]);
        assert!(unsupported("It was unanimously approved by 7 votes to 0.", &evidence).is_empty());
        assert!(unsupported("It failed with 4 votes for, 2 against and 1 abstention.", &evidence).is_empty());
        assert_eq!(unsupported("It failed with 4 votes for, 3 against.", &evidence).len(), 1);
        assert_eq!(unsupported("It passed 7-1.", &evidence).len(), 1);
        let split = Evidence::new(["For (9) Against (41) Amendment lost."]);
        assert_eq!(unsupported("It was agreed unanimously.", &split).len(), 1, "no source says so");
        assert!(unsupported("The amendment was lost by 41 votes to 9.", &split).is_empty());
    }

    #[test]
    fn a_sentence_opener_is_not_part_of_a_name() {
        let evidence =
            Evidence::new(["5. PUBLIC QUESTION TIME\nTwo questions were asked. Mr Oakford noted the report."]);
        assert!(unsupported("During Public Question Time, two questions were asked.", &evidence).is_empty());
        assert!(unsupported("Oakford said it was needed.", &evidence).is_empty());
        assert_eq!(unsupported("Oakley said it was needed.", &evidence).len(), 1, "who spoke is a name");
        assert_eq!(unsupported("During Public Question Time, three questions were asked.", &evidence).len(), 1);
    }

    #[test]
    fn a_kept_claim_keeps_where_it_was_found() {
        let mut evidence = Evidence::new(["Cabinet, 30 January 2025"]);
        evidence.add_source("The overspend was projected at \u{a3}23.3 million this year.", 7);
        let (kept, dropped) =
            keep_supported("The overspend is about \u{a3}23m. The Cabinet met on 30 January.", &evidence);
        assert!(dropped.is_empty());
        assert_eq!(kept.sentences, 2);
        let money = &kept.claims[0];
        assert_eq!((money.written.as_str(), money.kind, money.found.origin), ("\u{a3}23m", "amount", Some(7)));
        assert_eq!(money.found.found, "\u{a3}23.3 million");
        assert!(money.found.context.contains("projected at \u{a3}23.3 million"), "{:?}", money.found.context);
        assert_eq!(kept.claims[1].found.origin, None, "the meeting's own date links nowhere");
    }
}
