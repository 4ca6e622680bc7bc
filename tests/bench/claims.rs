//! Claim-check benchmark (not a test): the labelled corpus of true sentences
//! and their false twins, per kind: how many true sentences are kept and how
//! many false twins dropped, with every miss listed. Run with `bash scripts/bench.sh`.

#[path = "../support/corpus.rs"]
mod corpus;

fn main() {
    let tallies = corpus::run();
    println!("claim checks on the labelled corpus (tests/corpus/claims.txt)");
    println!("{:<16} {:>6} {:>16} {:>18}", "kind", "pairs", "true kept", "false dropped");
    let (mut pairs, mut kept, mut dropped) = (0, 0, 0);
    for (kind, tally) in &tallies {
        println!(
            "{kind:<16} {:>6} {:>9} {:>5.1} % {:>11} {:>5.1} %",
            tally.pairs,
            tally.true_kept,
            tally.kept_share() * 100.0,
            tally.false_dropped,
            tally.dropped_share() * 100.0
        );
        pairs += tally.pairs;
        kept += tally.true_kept;
        dropped += tally.false_dropped;
    }
    println!(
        "{:<16} {pairs:>6} {kept:>9} {:>5.1} % {dropped:>11} {:>5.1} %",
        "all",
        kept as f64 * 100.0 / pairs as f64,
        dropped as f64 * 100.0 / pairs as f64
    );
    for (kind, tally) in &tallies {
        for (sentence, why) in &tally.true_lost {
            println!("true dropped ({kind}): {sentence}  [{}]", why.join("; "));
        }
        for (sentence, found) in &tally.false_passed {
            println!("false kept ({kind}): {sentence}  [found: {}]", found.join("; "));
        }
    }
}
