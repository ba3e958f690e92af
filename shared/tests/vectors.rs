//! P-1: the decision vectors in `vectors.json` give the committed answers natively and in WASM
//! (`wasm-bindgen-test`, headless Chromium or Node). The digest line shows agreement.

#[path = "vectors/cases.rs"]
mod cases;

use cases::{digest, evaluate, VectorFile};

// Headless Chromium by default; `--features wasm-node` runs the same vectors in Node.
#[cfg(all(target_arch = "wasm32", not(feature = "wasm-node")))]
mod browser {
    wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);
}

const VECTORS: &str = include_str!("vectors.json");

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn p1_decision_vectors_give_the_committed_answers() {
    let file: VectorFile = serde_json::from_str(VECTORS).expect("vectors.json parses");
    assert!(file.cases.len() >= 300, "several hundred cases");
    let answers: Vec<_> = file.cases.iter().map(|c| evaluate(&c.input)).collect();
    let mut failures = Vec::new();
    for (i, (case, got)) in file.cases.iter().zip(&answers).enumerate() {
        if *got != case.expected {
            failures.push(format!(
                "#{i} {}: expected {} got {got}",
                case.rule, case.expected
            ));
        }
    }
    let got_digest = digest(&answers);
    let line = format!(
        "vectors: {} cases, {} failures, answers digest {got_digest} (committed {})",
        file.cases.len(),
        failures.len(),
        file.digest
    );
    println!("{line}");
    #[cfg(target_arch = "wasm32")]
    wasm_bindgen_test::console_log!("{line}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(got_digest, file.digest);
}
