//! The server's "now": `SABAPLOT_NOW` (epoch seconds) when set, so tests,
//! screenshots and benchmarks see the same 460 days on any day they run;
//! the wall clock otherwise. Nothing else in the server reads the clock. A
//! test of a live chart moves the pinned clock on (`POST /_clock`, with
//! the test hooks on) as its page's clock moves.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::OnceLock;
use std::time::{SystemTime, UNIX_EPOCH};

static PINNED: OnceLock<Option<AtomicI64>> = OnceLock::new();

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
    let _ = PINNED.set(pinned.map(AtomicI64::new));
    Ok(())
}

/// Whether `SABAPLOT_NOW` fixes the time.
pub fn pinned() -> Option<i64> {
    PINNED.get()?.as_ref().map(|t| t.load(Ordering::Relaxed))
}

/// Moves the pinned clock to `now` (epoch seconds, years 2000 to 2100);
/// an error when the clock is not pinned or `now` is out of range.
pub fn set(now: i64) -> Result<(), String> {
    if !PINNABLE.contains(&now) {
        return Err(format!(
            "the clock takes whole epoch seconds from {} to {}, got {now}",
            PINNABLE.start(),
            PINNABLE.end()
        ));
    }
    match PINNED.get().and_then(Option::as_ref) {
        Some(pinned) => {
            pinned.store(now, Ordering::Relaxed);
            Ok(())
        }
        None => Err("the clock is not pinned (start with SABAPLOT_NOW)".to_string()),
    }
}

/// Epoch seconds now: the pinned instant, or the wall clock.
pub fn now() -> i64 {
    pinned().unwrap_or_else(|| {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64)
    })
}
