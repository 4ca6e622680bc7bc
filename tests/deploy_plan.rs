//! `scripts/deploy.sh --dry-run`: the plan of a first deploy names every step
//! and calls nothing; given what the first run found or created (its state
//! file, its ids written into the configs), a second run plans nothing new.

use std::path::{Path, PathBuf};
use std::process::Command;

const D1_ID: &str = "3f2a9c4e-1b7d-4e8a-9c0f-2d6b8e1a7c55";
const KV_ID: &str = "9b1e4c7a2d8f4e6b8a3c5d7e9f1a2b3c";

/// Runs the deploy script over the configs in `root` with a wrangler that
/// records any call; answers its printed lines.
fn deploy(root: &Path, args: &[&str]) -> Vec<String> {
    let repo = env!("CARGO_MANIFEST_DIR");
    let stub = root.join("wrangler-stub.sh");
    let output = Command::new("python3")
        .arg(format!("{repo}/scripts/deploy.py"))
        .args(["--root", root.to_str().unwrap(), "--state", root.join("state.json").to_str().unwrap()])
        .args(args)
        .env("WRANGLER", format!("bash {}", stub.display()))
        .output()
        .expect("python3 runs the deploy script");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(!root.join("wrangler-called").exists(), "wrangler was called: {}", String::from_utf8_lossy(&output.stdout));
    String::from_utf8(output.stdout).unwrap().lines().map(str::to_string).collect()
}

/// A fresh folder under target/ with copies of both configs and the recording wrangler.
fn copy_of_the_configs() -> PathBuf {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let root = repo.join("target/deploy-plan").join(std::process::id().to_string());
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(&root).unwrap();
    for config in ["wrangler.toml", "wrangler.site.toml"] {
        std::fs::copy(repo.join(config), root.join(config)).unwrap();
    }
    let marker = root.join("wrangler-called");
    std::fs::write(root.join("wrangler-stub.sh"), format!("echo \"$@\" >> {}\nexit 1\n", marker.display())).unwrap();
    root
}

fn planned<'a>(plan: &'a [String], step: &str) -> Vec<&'a str> {
    plan.iter().filter_map(|l| l.strip_prefix("plan: ")).filter(|l| l.starts_with(step)).collect()
}

#[test]
fn a_first_deploy_plans_every_step_and_a_second_plans_nothing_new() {
    let root = copy_of_the_configs();
    let first = deploy(root.as_path(), &["--dry-run"]);
    assert!(first.iter().all(|l| l.starts_with("plan: ")), "{first:#?}");
    assert_eq!(planned(&first, "create D1 database"), ["create D1 database council-digest (or find it by name)"]);
    assert_eq!(planned(&first, "create KV namespace").len(), 1);
    assert_eq!(planned(&first, "create R2 bucket"), ["create R2 bucket council-digest-documents (unless it exists)"]);
    let queues: Vec<String> = planned(&first, "create queue ")
        .iter()
        .map(|l| l.trim_start_matches("create queue ").split(' ').next().unwrap().to_string())
        .collect();
    for queue in
        ["council-digest-jobs", "council-digest-jobs-dlq", "council-digest-documents", "council-digest-confirmations"]
    {
        assert!(queues.contains(&queue.to_string()), "{queue}: {queues:?}");
    }
    assert_eq!(queues.len(), 6, "every queue either config names, once: {queues:?}");
    assert_eq!(planned(&first, "write the D1 and KV ids").len(), 2, "both configs");
    assert_eq!(planned(&first, "set secret").len(), 5, "three of the ingest worker, two of the site's");
    assert_eq!(planned(&first, "apply the D1 migrations").len(), 1);
    let deploys = planned(&first, "deploy the ");
    assert!(deploys[0].contains("ingest") && deploys[1].contains("site"), "{deploys:?}");
    let order = |step: &str| first.iter().position(|l| l.contains(step)).unwrap();
    assert!(order("create D1") < order("write the D1") && order("write the D1") < order("apply the D1"));
    assert!(order("apply the D1") < order("deploy the ingest"), "migrations before the code that needs them");

    // What the first run found or created, as it keeps it; its ids written into the configs.
    let state = serde_json::json!({
        "d1": {"council-digest": D1_ID},
        "kv": {"CACHE": KV_ID},
        "r2_buckets": ["council-digest-documents"],
        "queues": queues,
        "secrets": {"ingest": ["ADMIN_TOKEN", "EMAIL_API_KEY", "EMAIL_TOKEN_SECRET"], "site": ["EMAIL_API_KEY", "EMAIL_TOKEN_SECRET"]},
    });
    std::fs::write(root.as_path().join("state.json"), state.to_string()).unwrap();
    deploy(root.as_path(), &["--write-ids"]);
    for config in ["wrangler.toml", "wrangler.site.toml"] {
        let text = std::fs::read_to_string(root.as_path().join(config)).unwrap();
        let (local, production) = text.split_once("[env.production]").unwrap();
        assert!(production.contains(D1_ID) && production.contains(KV_ID), "{config}: {production}");
        assert!(!local.contains(D1_ID) && !local.contains(KV_ID), "{config}: local development keeps its own ids");
    }

    let second = deploy(root.as_path(), &["--dry-run"]);
    for step in ["create", "write", "set secret"] {
        assert!(planned(&second, step).is_empty(), "{step}: {second:#?}");
    }
    assert!(second.iter().any(|l| l == &format!("plan: D1 database council-digest: {D1_ID}")), "{second:#?}");
    assert_eq!(planned(&second, "deploy the ").len(), 2);
}
