//! Criterion benches of the standard load tests (smaller sizes, so a bench run stays short).
//! The full-size figures come from `lab-sim bench`.
#![allow(missing_docs)]

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use lab_runtime::bench::{LoadKind, LoadTest};

fn load(c: &mut Criterion) {
    let mut g = c.benchmark_group("load");
    g.sample_size(10);
    for (name, n, kind) in [
        (
            "profile_100k",
            100_000u64,
            LoadKind::Profile { duration_ms: 100.0 },
        ),
        ("script_dynamodb_put_20k", 20_000u64, LoadKind::Script),
    ] {
        let t = LoadTest {
            name: name.into(),
            invocations: n,
            rate_per_s: 3000.0,
            kind,
        };
        g.throughput(Throughput::Elements(n));
        g.bench_function(name, |b| b.iter(|| t.run()));
    }
    g.finish();
}

criterion_group!(benches, load);
criterion_main!(benches);
