//! The server's "now": `SABAPLOT_NOW` (epoch seconds) when set, so tests,
//! screenshots and benchmarks see the same 460 days on any day they run;
//! the wall clock otherwise. Nothing else in the server reads the clock.

use std::sync::OnceLock;
use std::time::{SystemTime, UNIX_EPOCH};

static PINNED: OnceLock<Option<i64>> = OnceLock::new();

/// The earliest and latest instants `SABAPLOT_NOW` may name (2000 to 2100).
const PINNABLE: std::ops::RangeInclusive<i64> = 946_684_800..=4_102_444_800;

/// Reads `SABAPLOT_NOW` once; an error says what is wrong with it.
pub fn pin_from_env() -> Result<(), String> {
    let pinned = match std::env::var("SABAPLOT_NOW") {
        Err(_) => None,
        Ok(text) if text.is_empty() => None,
        Ok(text) => Some(
            text.trim()
                .parse::<i64>()
                .ok()
                .filter(|t| PINNABLE.contains(t))
                .ok_or_else(|| {
                    format!(
                        "SABAPLOT_NOW must be whole epoch seconds from {} to {} (years 2000 to \
                         2100), got {text:?}",
                        PINNABLE.start(),
                        PINNABLE.end()
                    )
                })?,
        ),
    };
    let _ = PINNED.set(pinned);
    Ok(())
}

/// Whether `SABAPLOT_NOW` fixes the time.
pub fn pinned() -> Option<i64> {
    PINNED.get().copied().flatten()
}

/// Epoch seconds now: the pinned instant, or the wall clock.
pub fn now() -> i64 {
    pinned().unwrap_or_else(|| {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64)
    })
}
