//! What a chart handle does when its state cannot be reached. In wasm a
//! panic stops the call where it is, and the state it was changing stays
//! locked for good; without this, every later call on the chart would
//! throw wasm-bindgen's "recursive use of an object detected". The core
//! is written never to panic; should it still, the handle says what
//! happened and what to do.

use std::cell::{Ref, RefCell, RefMut};

use wasm_bindgen::prelude::*;

thread_local! {
    /// The message of the first panic, kept for the errors that follow it.
    static PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Keeps each panic's message, then reports it on the console as before.
pub(super) fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let message = info.to_string();
        // try_with: a panic while the thread's storage is torn down.
        let _ = PANIC.try_with(|p| {
            if let Ok(mut p) = p.try_borrow_mut() {
                p.get_or_insert(message);
            }
        });
        console_error_panic_hook::hook(info);
    }));
}

/// The error for a state that is locked.
fn locked() -> JsError {
    let panic = PANIC.with(|p| p.borrow().clone());
    JsError::new(&match panic {
        Some(message) => format!(
            "this chart stopped at an internal error in an earlier call and cannot be used \
             again; create a new Chart (and please report the error: {message})"
        ),
        None => "the chart is busy: it was called while one of its own calls runs; \
                 call it again after that call returns"
            .to_string(),
    })
}

/// The state for a change.
pub(super) fn write<T>(state: &RefCell<T>) -> Result<RefMut<'_, T>, JsError> {
    state.try_borrow_mut().map_err(|_| locked())
}

/// The state for a look.
pub(super) fn read<T>(state: &RefCell<T>) -> Result<Ref<'_, T>, JsError> {
    state.try_borrow().map_err(|_| locked())
}
