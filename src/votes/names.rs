//! Matching names as minutes print them ("Mr Hill, OBE", "Ms Meade", "Sir
//! Paul Carter, CBE", "Mr B Lewis") to one councillor each. A name that fits
//! no one, or more than one, is kept as written and left unmatched: never a guess.

/// A councillor as the council lists them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub id: String,
    /// As listed: "Mr P M Hill, OBE", "Councillor Jane Meade", "Sir Paul Carter, CBE".
    pub name: String,
}

const TITLES: &[&str] =
    &["mr", "mrs", "ms", "miss", "mx", "dr", "sir", "dame", "lord", "lady", "cllr", "councillor", "professor", "rev"];

/// A name's parts: its title (if any), its forenames or initials, its surname.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Parts {
    title: Option<String>,
    given: Vec<String>,
    surname: String,
}

fn parts(name: &str) -> Option<Parts> {
    // Honours follow a comma; a role in brackets follows the name.
    let name = name.split(',').next()?.split('(').next()?;
    let mut words: Vec<String> =
        name.split_whitespace().map(|w| w.trim_matches('.').to_string()).filter(|w| !w.is_empty()).collect();
    let title = words.first().filter(|w| TITLES.contains(&w.to_lowercase().as_str())).map(|w| w.to_lowercase());
    if title.is_some() {
        words.remove(0);
    }
    let surname = words.pop()?.to_lowercase();
    Some(Parts { title, given: words.iter().map(|w| w.to_lowercase()).collect(), surname })
}

/// Whether what the minutes print could be this member: the same surname; the
/// same title where both give one (Mr is not Ms, but Councillor says nothing);
/// given names or initials that agree where both give them.
fn fits(printed: &Parts, member: &Parts) -> bool {
    let neutral = |t: &Option<String>| t.as_deref().is_none_or(|t| t == "cllr" || t == "councillor");
    let titles = neutral(&printed.title) || neutral(&member.title) || printed.title == member.title;
    let initial = |w: &String| w.chars().next();
    let given = printed.given.iter().zip(&member.given).all(|(a, b)| {
        if a.len() == 1 || b.len() == 1 {
            initial(a) == initial(b)
        } else {
            a == b
        }
    });
    printed.surname == member.surname && titles && given
}

/// The member a printed name is, if exactly one fits; `attended` (member ids)
/// narrows a name that fits several to those at the meeting.
pub fn match_name<'a>(printed: &str, members: &'a [Member], attended: &[&str]) -> Option<&'a Member> {
    let wanted = parts(printed)?;
    let fitting: Vec<&Member> = members.iter().filter(|m| parts(&m.name).is_some_and(|p| fits(&wanted, &p))).collect();
    match fitting.as_slice() {
        [one] => Some(one),
        [] => None,
        several => {
            let there: Vec<&&Member> = several.iter().filter(|m| attended.contains(&m.id.as_str())).collect();
            (there.len() == 1).then(|| *there[0])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Members as the Kent minutes list those present (13 February 2025).
    fn kent() -> Vec<Member> {
        [
            ("1", "Mr P M Hill, OBE"),
            ("2", "Mr A R Hills"),
            ("3", "Ms J Meade"),
            ("4", "Mr J Meade"),
            ("5", "Sir Paul Carter, CBE"),
            ("6", "Mr B H Lewis"),
            ("7", "Mr D Ross"),
            ("8", "Mrs P T Cole"),
            ("9", "Mr P Cole"),
        ]
        .into_iter()
        .map(|(id, name)| Member { id: id.into(), name: name.into() })
        .collect()
    }

    fn id(printed: &str, attended: &[&str]) -> Option<String> {
        let members = kent();
        match_name(printed, &members, attended).map(|m| m.id.clone())
    }

    #[test]
    fn near_twins_are_told_apart() {
        assert_eq!(id("Mr Hill, OBE", &[]).as_deref(), Some("1"));
        assert_eq!(id("Mr Hills", &[]).as_deref(), Some("2"));
        assert_eq!(id("Ms Meade", &[]).as_deref(), Some("3"));
        assert_eq!(id("Mr Meade", &[]).as_deref(), Some("4"));
        assert_eq!(id("Sir Paul Carter, CBE", &[]).as_deref(), Some("5"));
        assert_eq!(id("Mr B Lewis", &[]).as_deref(), Some("6"));
        assert_eq!(id("Mr D Ross", &[]).as_deref(), Some("7"));
    }

    #[test]
    fn a_name_that_fits_several_or_none_is_not_guessed() {
        assert_eq!(id("Mr Cole", &[]).as_deref(), Some("9"), "Mr is not Mrs");
        assert_eq!(id("Councillor Cole", &[]), None, "two Coles, nothing to tell them apart");
        assert_eq!(id("Councillor Cole", &["8"]).as_deref(), Some("8"), "only one of them attended");
        assert_eq!(id("Mr Smith", &[]), None);
        assert_eq!(id("Mr A Lewis", &[]), None, "the initials disagree");
    }
}
