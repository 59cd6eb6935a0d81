//! Every API request's work is bounded: it runs on the blocking pool with a
//! deadline, and stops when its client goes away (axum drops the request's
//! future, which drops the guard that flags the work as cancelled). The
//! loops that generate answers call `Budget::check` as they go.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The time a request may still take, and whether its client is gone.
pub struct Budget {
    deadline: Instant,
    cancelled: Arc<AtomicBool>,
}

/// A request ran out of time or lost its client: stop and answer 503.
#[derive(Debug, PartialEq)]
pub struct OverBudget;

impl Budget {
    /// A budget of `limit` from now, never cancelled (for tests and tools).
    pub fn new(limit: Duration) -> Budget {
        Budget {
            deadline: Instant::now() + limit,
            cancelled: Arc::new(AtomicBool::new(false)),
        }
    }

    /// Ok while the request may go on.
    pub fn check(&self) -> Result<(), OverBudget> {
        if self.cancelled.load(Ordering::Relaxed) || Instant::now() >= self.deadline {
            Err(OverBudget)
        } else {
            Ok(())
        }
    }
}

/// Sets the flag when the request's future is dropped (client gone) or
/// done.
struct CancelOnDrop(Arc<AtomicBool>);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

/// Runs `work` on the blocking pool with a budget of `limit`; `work` answers
/// the request (including its own 503 when over budget). None only if the
/// work itself failed (a bug), which the caller answers with a 500.
pub async fn run<T: Send + 'static>(
    limit: Duration,
    work: impl FnOnce(&Budget) -> T + Send + 'static,
) -> Option<T> {
    let budget = Budget::new(limit);
    let _guard = CancelOnDrop(Arc::clone(&budget.cancelled));
    tokio::task::spawn_blocking(move || work(&budget))
        .await
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_budget_runs_out_at_its_deadline() {
        assert_eq!(Budget::new(Duration::from_secs(60)).check(), Ok(()));
        assert_eq!(Budget::new(Duration::ZERO).check(), Err(OverBudget));
    }

    #[tokio::test]
    async fn dropping_the_request_cancels_its_work() {
        let (started_tx, started_rx) = std::sync::mpsc::channel();
        let (stopped_tx, stopped_rx) = std::sync::mpsc::channel();
        let request = tokio::spawn(run(Duration::from_secs(60), move |budget| {
            started_tx.send(()).unwrap();
            while budget.check().is_ok() {
                std::thread::sleep(Duration::from_millis(1));
            }
            stopped_tx.send(()).unwrap();
        }));
        tokio::task::spawn_blocking(move || started_rx.recv().unwrap())
            .await
            .unwrap();
        request.abort();
        let stopped =
            tokio::task::spawn_blocking(move || stopped_rx.recv_timeout(Duration::from_secs(5)))
                .await
                .unwrap();
        assert!(stopped.is_ok(), "the work saw the cancellation");
    }
}
