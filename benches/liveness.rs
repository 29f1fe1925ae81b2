//! How soon the app answers a slider move: the solve session (the app's worker and its
//! bookkeeping, as the app runs them) gets a new revision of the baseline with one
//! capacity changed, as a slider drag sends it, and the time is taken to the first answer
//! for the year on screen and to the whole horizon.
//!
//! Run: `cargo bench --bench liveness`. Criterion reports the median of each.

use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use rareflow::model::Edit;
use rareflow::solve_session::SolveSession;

/// The year on screen when the app opens.
const YEAR_ON_SCREEN: i32 = 2030;

fn benches(c: &mut Criterion) {
    let baseline = rareflow::baseline().expect("baseline");
    let mut session = SolveSession::start(Arc::new(baseline.clone()), || {});
    let mut revision = 1;
    session.request(revision, &baseline, YEAR_ON_SCREEN);
    assert!(session.wait_until_solved(Duration::from_secs(60)));
    // A slider move: Lynas Malaysia's capacity, alternating between two values.
    let moved = |revision: u64| {
        let mut scenario = baseline.clone();
        let capacity = if revision.is_multiple_of(2) {
            24_000.0
        } else {
            26_000.0
        };
        scenario
            .apply(&Edit::SetNodeCapacity {
                node: "SEP-MYS-lynas_malaysia_gebeng".to_owned(),
                capacity_t_per_yr: capacity,
            })
            .expect("applies");
        scenario
    };
    let mut group = c.benchmark_group("liveness");
    group.sample_size(20);
    group.bench_function("first_answer_after_a_slider_move", |b| {
        b.iter_custom(|iterations| {
            let mut total = Duration::ZERO;
            for _ in 0..iterations {
                revision += 1;
                let scenario = moved(revision);
                let started = Instant::now();
                session.request(revision, &scenario, YEAR_ON_SCREEN);
                assert!(session.wait_for(Duration::from_secs(60), |ledger| {
                    let results = ledger.results();
                    results.revision == revision && results.years.contains_key(&YEAR_ON_SCREEN)
                }));
                total += started.elapsed();
                assert!(session.wait_until_solved(Duration::from_secs(60)));
            }
            total
        })
    });
    group.bench_function("whole_horizon_after_a_slider_move", |b| {
        b.iter_custom(|iterations| {
            let mut total = Duration::ZERO;
            for _ in 0..iterations {
                revision += 1;
                let scenario = moved(revision);
                let started = Instant::now();
                session.request(revision, &scenario, YEAR_ON_SCREEN);
                assert!(session.wait_until_solved(Duration::from_secs(60)));
                total += started.elapsed();
            }
            total
        })
    });
    group.finish();
}

criterion_group!(liveness, benches);
criterion_main!(liveness);
