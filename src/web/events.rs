//! Browser events to core inputs and back: pointer, wheel, double-click and
//! keys go to `Chart::handle`; its effects move the overlay, schedule one
//! redraw per animation frame, call the page's callbacks and reach the other
//! charts of the group. Callbacks run after every borrow is released, so a
//! callback may call back into any chart.

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{AddEventListenerOptions, Event, EventTarget, KeyboardEvent, MouseEvent, WheelEvent};

use super::host::{Inner, CHARTS};
use crate::{Cursor, Input, Key};

/// One listener, kept so `destroy` can remove it.
pub struct Listener {
    target: EventTarget,
    kind: &'static str,
    closure: Closure<dyn FnMut(Event)>,
}

impl Listener {
    pub fn remove(self) {
        let _ = self
            .target
            .remove_event_listener_with_callback(self.kind, self.closure.as_ref().unchecked_ref());
    }
}

/// The page's `(prefers-color-scheme: dark)` query, if it has one.
fn dark_scheme() -> Option<web_sys::MediaQueryList> {
    web_sys::window()?
        .match_media("(prefers-color-scheme: dark)")
        .ok()
        .flatten()
}

/// Whether the reader prefers dark colours.
pub fn prefers_dark() -> bool {
    dark_scheme().is_some_and(|q| q.matches())
}

/// Listens to the canvas' pointer, wheel, double-click and key events, and
/// to changes of the reader's colour scheme.
pub fn listen(inner: &Rc<RefCell<Inner>>) -> Result<Vec<Listener>, JsValue> {
    let canvas: EventTarget = inner.borrow().canvas.clone().into();
    let legend: EventTarget = inner.borrow().overlay.legend.clone().into();
    let mut listeners = Vec::new();
    let mut add_to = |target: &EventTarget,
                      kind: &'static str,
                      passive: bool,
                      handler: fn(&Rc<RefCell<Inner>>, Event)|
     -> Result<(), JsValue> {
        let weak = Rc::downgrade(inner);
        let closure = Closure::<dyn FnMut(Event)>::new(move |event: Event| {
            // A chart whose state an earlier panic left locked ignores its
            // events; its calls say why (see `guard`).
            if let Some(inner) = weak.upgrade().filter(|i| i.try_borrow_mut().is_ok()) {
                handler(&inner, event);
            }
        });
        let options = AddEventListenerOptions::new();
        options.set_passive(passive);
        target.add_event_listener_with_callback_and_add_event_listener_options(
            kind,
            closure.as_ref().unchecked_ref(),
            &options,
        )?;
        listeners.push(Listener {
            target: target.clone(),
            kind,
            closure,
        });
        Ok(())
    };
    // A click on a legend item hides or shows its series.
    add_to(&legend, "click", true, |inner, event| {
        let button = event
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|e| e.closest("button[data-series]").ok().flatten());
        let Some(name) = button.and_then(|b| b.get_attribute("data-series")) else {
            return;
        };
        let toggled = {
            let mut state = inner.borrow_mut();
            let visible = state.core.is_visible(&name).unwrap_or(false);
            state.core.set_visible(&name, !visible).is_ok()
        };
        if toggled {
            schedule(inner);
        }
    })?;
    // `theme: 'auto'` follows the reader's colour scheme as it changes.
    if let Some(scheme) = dark_scheme() {
        add_to(&scheme.into(), "change", true, |inner, _| {
            let Ok(mut state) = inner.try_borrow_mut() else {
                return;
            };
            state.core.set_prefers_dark(prefers_dark());
            let dark = state.core.theme() == crate::Theme::Dark;
            let _ = state.overlay.set_theme(dark);
            drop(state);
            schedule(inner);
        })?;
    }
    let mut add = |kind, passive, handler| add_to(&canvas, kind, passive, handler);
    add("pointerdown", true, |inner, event| {
        let Some(e) = event.dyn_ref::<MouseEvent>() else {
            return;
        };
        if e.button() != 0 {
            return;
        }
        let canvas = inner.borrow().canvas.clone();
        let _ = canvas.focus();
        if let Some(p) = event.dyn_ref::<web_sys::PointerEvent>() {
            let _ = canvas.set_pointer_capture(p.pointer_id());
        }
        let (x, y) = position(e);
        dispatch(
            inner,
            Input::Down {
                x,
                y,
                shift: e.shift_key(),
            },
            Some((x, y)),
        );
    })?;
    add("pointermove", true, |inner, event| {
        let Some(e) = event.dyn_ref::<MouseEvent>() else {
            return;
        };
        let (x, y) = position(e);
        dispatch(inner, Input::Move { x, y }, Some((x, y)));
    })?;
    add("pointerup", true, |inner, event| {
        let Some(e) = event.dyn_ref::<MouseEvent>() else {
            return;
        };
        let (x, y) = position(e);
        dispatch(inner, Input::Up { x, y }, Some((x, y)));
    })?;
    add("pointerleave", true, |inner, _| {
        dispatch(inner, Input::Leave, None)
    })?;
    add("dblclick", true, |inner, _| {
        dispatch(inner, Input::DoubleClick, None)
    })?;
    add("wheel", false, |inner, event| {
        let Some(e) = event.dyn_ref::<WheelEvent>() else {
            return;
        };
        // Lines and pages to pixels, as browsers scroll them.
        let unit = match e.delta_mode() {
            1 => 16.0,
            2 => 400.0,
            _ => 1.0,
        };
        let (x, y) = position(e);
        let inside = inner
            .borrow()
            .core
            .plot_area()
            .is_some_and(|plot| plot.contains_css(x, y));
        if inside {
            // The page does not scroll while the wheel zooms the chart.
            event.prevent_default();
            dispatch(
                inner,
                Input::Wheel {
                    x,
                    y,
                    delta: e.delta_y() * unit,
                },
                Some((x, y)),
            );
        }
    })?;
    add("keydown", false, |inner, event| {
        let Some(e) = event.dyn_ref::<KeyboardEvent>() else {
            return;
        };
        let input = match e.key().as_str() {
            "ArrowLeft" => Input::Key(Key::PanLeft),
            "ArrowRight" => Input::Key(Key::PanRight),
            "+" | "=" => Input::Key(Key::ZoomIn),
            "-" | "_" => Input::Key(Key::ZoomOut),
            "Home" | "0" => Input::DoubleClick,
            _ => return,
        };
        event.prevent_default();
        dispatch(inner, input, None);
    })?;
    Ok(listeners)
}

/// Where a mouse event is, in CSS pixels from the canvas' top left.
fn position(e: &MouseEvent) -> (f64, f64) {
    (f64::from(e.offset_x()), f64::from(e.offset_y()))
}

/// A resize observer and the callback it calls, kept together.
pub type Observer = (web_sys::ResizeObserver, Closure<dyn FnMut(js_sys::Array)>);

/// Redraws when the canvas changes size.
pub fn observe_resize(inner: &Rc<RefCell<Inner>>) -> Result<Observer, JsValue> {
    let weak = Rc::downgrade(inner);
    let closure = Closure::<dyn FnMut(js_sys::Array)>::new(move |_| {
        if let Some(inner) = weak.upgrade() {
            schedule(&inner);
        }
    });
    let observer = web_sys::ResizeObserver::new(closure.as_ref().unchecked_ref())?;
    observer.observe(&inner.borrow().canvas);
    Ok((observer, closure))
}

/// Draws at the next animation frame, once however many changes come first.
pub fn schedule(inner: &Rc<RefCell<Inner>>) {
    let Ok(mut state) = inner.try_borrow_mut() else {
        return;
    };
    if state.redraw_pending {
        return;
    }
    state.redraw_pending = true;
    drop(state);
    let weak = Rc::downgrade(inner);
    let callback = Closure::once_into_js(move || {
        let Some(inner) = weak.upgrade() else {
            return;
        };
        let Ok(mut state) = inner.try_borrow_mut() else {
            return;
        };
        // A synchronous `draw()` since the request already drew this state.
        if state.redraw_pending {
            if let Err(e) = state.draw() {
                web_sys::console::error_1(&e);
            }
        }
    });
    if let Some(window) = web_sys::window() {
        let _ = window.request_animation_frame(callback.unchecked_ref());
    }
}

/// Hands `input` to the core and carries out what it changed.
fn dispatch(inner: &Rc<RefCell<Inner>>, input: Input, pointer: Option<(f64, f64)>) {
    let mut state = inner.borrow_mut();
    let effect = state.core.handle(input);
    if let Some(pointer) = pointer {
        state.pointer = Some(pointer);
    }
    if let (Some(plot), Some(band)) = (state.core.plot_area(), effect.selection) {
        let offset = state.offset();
        let _ = state.overlay.show_selection(&plot, offset, band);
    }
    let cursor = effect.cursor.map(|c| match c {
        Cursor::At(t) => Some(t),
        Cursor::Hidden => None,
    });
    if let Some(t) = cursor {
        if t.is_none() {
            state.pointer = None;
        }
        let _ = state.show_cursor(t);
    }
    let range = effect.range_changed.then(|| state.core.range()).flatten();
    let group = state.core.options().group.clone();
    let sync_range = state.core.options().sync_range;
    let on_range = state.on_range.clone();
    let on_cursor = state.on_cursor.clone();
    drop(state);

    if let Some((from, to)) = range {
        schedule(inner);
        call(&on_range, &[from.into(), to.into()]);
    }
    if let Some(t) = cursor {
        call(&on_cursor, &[t.map_or(JsValue::NULL, JsValue::from)]);
    }
    let Some(group) = group else { return };
    for other in members(&group, inner) {
        if let Some(t) = cursor {
            let callback = match other.try_borrow_mut() {
                Ok(mut o) => {
                    o.pointer = None;
                    let _ = o.show_cursor(t);
                    o.on_cursor.clone()
                }
                Err(_) => None,
            };
            call(&callback, &[t.map_or(JsValue::NULL, JsValue::from)]);
        }
        if let (Some((from, to)), true) = (range, sync_range) {
            let callback = match other.try_borrow_mut() {
                Ok(mut o) => match o.core.set_range(from, to) {
                    Ok(()) => o.on_range.clone(),
                    Err(_) => continue,
                },
                Err(_) => continue,
            };
            schedule(&other);
            call(&callback, &[from.into(), to.into()]);
        }
    }
}

/// The other live charts of `group`.
fn members(group: &str, me: &Rc<RefCell<Inner>>) -> Vec<Rc<RefCell<Inner>>> {
    CHARTS.with(|charts| {
        charts
            .borrow()
            .iter()
            .filter_map(Weak::upgrade)
            .filter(|c| !Rc::ptr_eq(c, me))
            .filter(|c| {
                c.try_borrow()
                    .is_ok_and(|c| c.core.options().group.as_deref() == Some(group))
            })
            .collect()
    })
}

/// Calls a page callback; its exceptions are logged, not thrown into wasm.
fn call(callback: &Option<js_sys::Function>, args: &[JsValue]) {
    let Some(f) = callback else { return };
    let args: js_sys::Array = args.iter().collect();
    if let Err(e) = f.apply(&JsValue::NULL, &args) {
        web_sys::console::error_1(&e);
    }
}
