//! Stopping the background workers on SIGTERM (issue #14): each worker
//! finishes the job in hand, then leaves its loop instead of sleeping to
//! the next round. The HTTP server stops first (it finishes the requests in
//! flight), then `Workers::stop` asks the workers and waits for them.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// The signal every worker selects on; clones share it.
#[derive(Clone, Debug)]
pub struct Shutdown(Arc<watch::Sender<bool>>);

impl Default for Shutdown {
    fn default() -> Shutdown {
        Shutdown(Arc::new(watch::channel(false).0))
    }
}

impl Shutdown {
    /// Whether the workers were asked to stop.
    pub fn requested(&self) -> bool {
        *self.0.borrow()
    }

    /// Waits out `pause`; true when shutdown was asked for meanwhile (or before).
    pub async fn sleep(&self, pause: Duration) -> bool {
        let mut asked = self.0.subscribe();
        tokio::select! {
            _ = tokio::time::sleep(pause) => self.requested(),
            // The sender lives in `self`, so `wait_for` ends only when asked.
            _ = asked.wait_for(|stop| *stop) => true,
        }
    }

    fn ask(&self) {
        self.0.send_replace(true);
    }
}

/// The running workers of one server instance.
#[derive(Default)]
pub struct Workers {
    shutdown: Shutdown,
    handles: Vec<JoinHandle<()>>,
}

impl Workers {
    /// The signal to hand to a worker before [`Workers::spawn`]ing it.
    pub fn shutdown(&self) -> Shutdown {
        self.shutdown.clone()
    }

    /// Starts a worker on the current runtime.
    pub fn spawn(&mut self, worker: impl Future<Output = ()> + Send + 'static) {
        self.handles.push(tokio::spawn(worker));
    }

    /// Asks every worker to stop and waits for them, at most `within`;
    /// returns whether all stopped in time (a late one is abandoned, and
    /// its leased job is taken up again when the lease runs out).
    pub async fn stop(self, within: Duration) -> bool {
        self.shutdown.ask();
        let all = futures_util::future::join_all(self.handles);
        tokio::time::timeout(within, all).await.is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_worker_between_rounds_stops_at_once() {
        let mut workers = Workers::default();
        let shutdown = workers.shutdown();
        workers.spawn(async move { while !shutdown.sleep(Duration::from_secs(3600)).await {} });
        assert!(workers.stop(Duration::from_secs(5)).await);
    }

    #[tokio::test]
    async fn the_job_in_hand_is_finished_first() {
        let mut workers = Workers::default();
        let shutdown = workers.shutdown();
        let done = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let flag = done.clone();
        workers.spawn(async move {
            loop {
                tokio::time::sleep(Duration::from_millis(200)).await; // the job
                flag.store(true, std::sync::atomic::Ordering::SeqCst);
                if shutdown.sleep(Duration::from_secs(3600)).await {
                    break;
                }
            }
        });
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert!(workers.stop(Duration::from_secs(5)).await);
        assert!(done.load(std::sync::atomic::Ordering::SeqCst));
    }
}
