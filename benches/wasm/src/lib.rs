//! The engine kernels in wasm: `benches/wasm_kernels.mjs` calls `run` and
//! times it from JavaScript. Same code and data as the native benches.

use std::cell::RefCell;

use wasm_bindgen::prelude::*;

#[path = "../../kernels.rs"]
mod kernels;

thread_local! {
    static DATA: RefCell<Option<kernels::Data>> = const { RefCell::new(None) };
}

/// Generates the data (once per call).
#[wasm_bindgen]
pub fn prepare() {
    DATA.with(|d| *d.borrow_mut() = Some(kernels::data()));
}

/// Names of the kernels.
#[wasm_bindgen]
pub fn kernels() -> Vec<String> {
    kernels::KERNELS.iter().map(|s| s.to_string()).collect()
}

/// Runs kernel `name` `times` times; returns the last checksum (NaN when
/// the data is not prepared or the name is unknown).
#[wasm_bindgen]
pub fn run(name: &str, times: u32) -> f64 {
    DATA.with(|d| {
        let mut d = d.borrow_mut();
        let Some(data) = d.as_mut() else {
            return f64::NAN;
        };
        let mut checksum = f64::NAN;
        for _ in 0..times {
            checksum = kernels::run(name, data);
        }
        checksum
    })
}

/// Bytes a point takes, summary included.
#[wasm_bindgen]
pub fn bytes_per_point() -> f64 {
    DATA.with(|d| {
        d.borrow()
            .as_ref()
            .map_or(f64::NAN, kernels::bytes_per_point)
    })
}
