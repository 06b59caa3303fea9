//! What a scenario measured, and its line of the report.

use std::time::Instant;

/// The latencies of a scenario's successful requests and how many failed.
#[derive(Default)]
pub(crate) struct Tally {
    pub(crate) latencies_us: Vec<u64>,
    pub(crate) errors: u64,
}

impl Tally {
    pub(crate) fn record(&mut self, started: Instant) {
        self.latencies_us
            .push(u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX));
    }

    pub(crate) fn absorb(&mut self, other: Tally) {
        self.latencies_us.extend(other.latencies_us);
        self.errors += other.errors;
    }
}

/// Prints the scenario's line of the report.
pub(crate) fn report(name: &str, connections: usize, tally: &Tally, seconds: u64) {
    let mut latencies = tally.latencies_us.clone();
    latencies.sort_unstable();
    let percentile = |p: f64| -> f64 {
        if latencies.is_empty() {
            return 0.0;
        }
        let rank = ((p / 100.0) * latencies.len() as f64).ceil() as usize;
        latencies[rank.clamp(1, latencies.len()) - 1] as f64 / 1000.0
    };
    println!(
        "{:<10} {:>6} {:>9} {:>7} {:>10.0} {:>9.2} {:>9.2} {:>9.2} {:>9.2}",
        name,
        connections,
        latencies.len(),
        tally.errors,
        latencies.len() as f64 / seconds as f64,
        percentile(50.0),
        percentile(90.0),
        percentile(99.0),
        latencies.last().map_or(0.0, |&max| max as f64 / 1000.0),
    );
    if tally.errors > 0 && latencies.is_empty() {
        eprintln!("every {name} request failed");
    }
}
