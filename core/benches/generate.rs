//! `validate` + `generate` over every example configuration (every registry on both stacks).
//! Run with `cargo bench -p kaniko-studio-core --bench generate`; results in BENCHMARKS.md.
//! Target: at most 20 µs per configuration.

use kaniko_studio_core::config::BuildConfig;
use kaniko_studio_core::generate::generate;
use kaniko_studio_core::validate::validate;

fn main() {
    divan::main();
}

/// The example configurations, read once (`examples/*.yaml` beside `core/`).
fn configs() -> Vec<BuildConfig> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .map(|entries| entries.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    paths.retain(|p| p.extension().is_some_and(|x| x == "yaml"));
    paths.sort();
    paths
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .filter_map(|text| BuildConfig::from_yaml_str(&text).ok())
        .collect()
}

/// One iteration handles every configuration; the items counter reports time per configuration.
#[divan::bench]
fn validate_and_generate_all(bencher: divan::Bencher) {
    let configs = configs();
    assert!(!configs.is_empty(), "no example configurations found");
    bencher.counter(divan::counter::ItemsCount::new(configs.len())).bench(|| {
        for c in &configs {
            divan::black_box(generate(divan::black_box(c)));
        }
    });
}

/// Validation alone (`generate` runs it too).
#[divan::bench]
fn validate_all(bencher: divan::Bencher) {
    let configs = configs();
    bencher.counter(divan::counter::ItemsCount::new(configs.len())).bench(|| {
        for c in &configs {
            divan::black_box(validate(divan::black_box(c)));
        }
    });
}

/// Rendering alone, from ready plans.
#[divan::bench]
fn render_all(bencher: divan::Bencher) {
    let plans: Vec<_> = configs().iter().map(kaniko_studio_core::generate::plan::from_config).collect();
    bencher.counter(divan::counter::ItemsCount::new(plans.len())).bench(|| {
        for p in &plans {
            divan::black_box(kaniko_studio_core::generate::render(divan::black_box(p)));
        }
    });
}

/// The checklist alone.
#[divan::bench]
fn checklist_all(bencher: divan::Bencher) {
    let plans: Vec<_> = configs().iter().map(kaniko_studio_core::generate::plan::from_config).collect();
    bencher.counter(divan::counter::ItemsCount::new(plans.len())).bench(|| {
        for p in &plans {
            divan::black_box(kaniko_studio_core::generate::extras::checklist(divan::black_box(p)));
        }
    });
}

/// The script alone.
#[divan::bench]
fn script_all(bencher: divan::Bencher) {
    let plans: Vec<_> = configs().iter().map(kaniko_studio_core::generate::plan::from_config).collect();
    bencher.counter(divan::counter::ItemsCount::new(plans.len())).bench(|| {
        for p in &plans {
            divan::black_box(kaniko_studio_core::generate::script::render(divan::black_box(p)));
        }
    });
}
