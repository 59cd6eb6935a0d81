//! The page elements around a chart's canvas: crosshair, selection band,
//! tooltip (`role="tooltip"`) and legend (buttons with `aria-pressed`).
//! Everything from the API (series names) is set as text, never as HTML.

use wasm_bindgen::JsValue;
use web_sys::{Document, Element, HtmlElement};

use crate::{LegendEntry, PlotTransform, Readout};

/// The elements, created once per chart and removed by `remove`.
pub struct Overlay {
    crosshair: HtmlElement,
    selection: HtmlElement,
    tooltip: HtmlElement,
    pub legend: HtmlElement,
    /// Names the legend buttons stand for, in order, to reuse them.
    legend_names: Vec<String>,
}

fn element(document: &Document, tag: &str, class: &str, css: &str) -> Result<HtmlElement, JsValue> {
    let e: HtmlElement = wasm_bindgen::JsCast::unchecked_into(document.create_element(tag)?);
    e.set_class_name(class);
    e.style().set_css_text(css);
    Ok(e)
}

const CROSSHAIR_CSS: &str = "position:absolute;top:0;width:1px;pointer-events:none;display:none;background:rgba(90,90,90,.7)";
const SELECTION_CSS: &str = "position:absolute;top:0;pointer-events:none;display:none;background:rgba(31,119,180,.15);border-left:1px solid rgba(31,119,180,.6);border-right:1px solid rgba(31,119,180,.6)";
const TOOLTIP_CSS: &str = "position:absolute;top:0;left:0;pointer-events:none;display:none;z-index:2;font:12px system-ui,sans-serif;padding:6px 8px;border-radius:4px;white-space:nowrap;box-shadow:0 1px 4px rgba(0,0,0,.25)";
/// A long legend (a 16-host role graph) scrolls rather than squeezing the plot.
const LEGEND_CSS: &str =
    "display:flex;flex-wrap:wrap;gap:2px 12px;padding:4px 8px;font:12px system-ui,sans-serif;\
     flex:none;max-height:38%;overflow-y:auto;overflow-x:hidden;min-width:0";
// An item wraps inside the legend's width: a long name breaks anywhere
// rather than running past the chart.
const BUTTON_CSS: &str = "display:inline-flex;align-items:center;gap:6px;border:0;background:none;color:inherit;font:inherit;padding:2px 4px;cursor:pointer;text-align:left;max-width:100%;min-width:0;overflow-wrap:anywhere";

impl Overlay {
    /// Adds the elements to `host` (which holds the canvas): the floating
    /// ones over the canvas, the legend after it.
    pub fn new(document: &Document, host: &Element, dark: bool) -> Result<Overlay, JsValue> {
        let overlay = Overlay {
            crosshair: element(document, "div", "sabaplot-crosshair", CROSSHAIR_CSS)?,
            selection: element(document, "div", "sabaplot-selection", SELECTION_CSS)?,
            tooltip: element(document, "div", "sabaplot-tooltip", TOOLTIP_CSS)?,
            legend: element(document, "div", "sabaplot-legend", LEGEND_CSS)?,
            legend_names: Vec::new(),
        };
        overlay.tooltip.set_attribute("role", "tooltip")?;
        overlay.legend.set_attribute("role", "group")?;
        overlay.legend.set_attribute("aria-label", "Series")?;
        for e in [
            &overlay.crosshair,
            &overlay.selection,
            &overlay.tooltip,
            &overlay.legend,
        ] {
            host.append_child(e)?;
        }
        overlay.set_theme(dark)?;
        Ok(overlay)
    }

    pub fn set_theme(&self, dark: bool) -> Result<(), JsValue> {
        // The legend shares the canvas' background, so its text reads on
        // any page; the crosshair stands out on either.
        let (bg, fg, legend_bg, crosshair) = if dark {
            (
                "rgba(32,35,42,.95)",
                "#d7dae0",
                "rgb(24,26,31)",
                "rgba(200,205,215,.7)",
            )
        } else {
            ("rgba(255,255,255,.95)", "#333", "#fff", "rgba(90,90,90,.7)")
        };
        self.tooltip.style().set_property("background", bg)?;
        self.tooltip.style().set_property("color", fg)?;
        self.legend.style().set_property("background", legend_bg)?;
        self.crosshair
            .style()
            .set_property("background", crosshair)?;
        self.legend.style().set_property("color", fg)
    }

    pub fn remove(&self) {
        for e in [
            &self.crosshair,
            &self.selection,
            &self.tooltip,
            &self.legend,
        ] {
            e.remove();
        }
    }

    /// The crosshair at time `t` (None hides it); `offset` is the canvas'
    /// position in its host.
    pub fn show_crosshair(
        &self,
        plot: &PlotTransform,
        offset: (f64, f64),
        t: Option<f64>,
    ) -> Result<(), JsValue> {
        let style = self.crosshair.style();
        let [left, top, right, bottom] = plot.css_plot();
        // The middle of the pixel column the time is drawn in.
        let x = t
            .map(|t| plot.css_x(t))
            .filter(|x| (left..=right).contains(x));
        let Some(x) = x else {
            return style.set_property("display", "none");
        };
        style.set_property("left", &format!("{}px", offset.0 + (x - 0.5).round()))?;
        style.set_property("top", &format!("{}px", offset.1 + top))?;
        style.set_property("height", &format!("{}px", bottom - top))?;
        style.set_property("display", "block")
    }

    /// The shift-drag band between CSS x `a` and `b`; an empty band hides it.
    pub fn show_selection(
        &self,
        plot: &PlotTransform,
        offset: (f64, f64),
        (a, b): (f64, f64),
    ) -> Result<(), JsValue> {
        let style = self.selection.style();
        if b - a < 1.0 {
            return style.set_property("display", "none");
        }
        style.set_property("left", &format!("{}px", offset.0 + a))?;
        style.set_property("width", &format!("{}px", b - a))?;
        let [_, top, _, bottom] = plot.css_plot();
        style.set_property("top", &format!("{}px", offset.1 + top))?;
        style.set_property("height", &format!("{}px", bottom - top))?;
        style.set_property("display", "block")
    }

    /// The tooltip for `readout` next to the pointer at CSS `(x, y)` of the
    /// canvas; None hides it.
    pub fn show_tooltip(
        &self,
        document: &Document,
        readout: Option<&Readout>,
        offset: (f64, f64),
        (x, y): (f64, f64),
        canvas_width: f64,
    ) -> Result<(), JsValue> {
        let style = self.tooltip.style();
        let Some(readout) = readout.filter(|r| !r.rows.is_empty()) else {
            return style.set_property("display", "none");
        };
        self.tooltip.set_text_content(None);
        let time = element(
            document,
            "div",
            "sabaplot-tooltip-time",
            "font-weight:600;margin-bottom:2px",
        )?;
        time.set_text_content(Some(&readout.time_label));
        self.tooltip.append_child(&time)?;
        for row in &readout.rows {
            let line = element(
                document,
                "div",
                "sabaplot-tooltip-row",
                "display:flex;gap:8px;align-items:center",
            )?;
            let swatch = element(
                document,
                "span",
                "",
                "width:8px;height:8px;border-radius:2px;flex:none",
            )?;
            swatch.style().set_property("background", &row.color)?;
            let name = element(document, "span", "sabaplot-tooltip-name", "flex:1")?;
            name.set_text_content(Some(&row.name));
            let value = element(
                document,
                "span",
                "sabaplot-tooltip-value",
                "font-variant-numeric:tabular-nums;font-weight:600",
            )?;
            value.set_text_content(Some(&row.label));
            line.append_with_node_3(&swatch, &name, &value)?;
            self.tooltip.append_child(&line)?;
        }
        if readout.more > 0 {
            let more = element(document, "div", "", "opacity:.7")?;
            more.set_text_content(Some(&format!("and {} more", readout.more)));
            self.tooltip.append_child(&more)?;
        }
        style.set_property("display", "block")?;
        // Right of the pointer, or left of it near the right edge.
        let width = f64::from(self.tooltip.offset_width());
        let left = if x + 16.0 + width > canvas_width {
            x - 16.0 - width
        } else {
            x + 16.0
        };
        style.set_property("left", &format!("{}px", offset.0 + left.max(0.0)))?;
        style.set_property("top", &format!("{}px", offset.1 + (y - 8.0).max(0.0)))
    }

    /// The legend items: reused while the series stay the same, so a click's
    /// focus survives redraws.
    pub fn show_legend(
        &mut self,
        document: &Document,
        entries: &[LegendEntry],
        shown: bool,
    ) -> Result<(), JsValue> {
        self.legend
            .style()
            .set_property("display", if shown { "flex" } else { "none" })?;
        if !shown {
            // Built when shown: a hidden legend of dozens of series would
            // cost the first frame its elements for nothing.
            return Ok(());
        }
        let names: Vec<String> = entries.iter().map(|e| e.name.clone()).collect();
        if names != self.legend_names {
            self.legend.set_text_content(None);
            for entry in entries {
                let button = element(document, "button", "sabaplot-legend-item", BUTTON_CSS)?;
                button.set_attribute("type", "button")?;
                button.set_attribute("data-series", &entry.name)?;
                let swatch = element(
                    document,
                    "span",
                    "sabaplot-swatch",
                    "width:10px;height:10px;border-radius:2px;flex:none",
                )?;
                let name = element(document, "span", "sabaplot-legend-name", "")?;
                let stats = element(
                    document,
                    "span",
                    "sabaplot-legend-stats",
                    "opacity:.75;font-variant-numeric:tabular-nums",
                )?;
                button.append_with_node_3(&swatch, &name, &stats)?;
                self.legend.append_child(&button)?;
            }
            self.legend_names = names;
        }
        let buttons = self.legend.children();
        for (i, entry) in entries.iter().enumerate() {
            let Some(button) = buttons.item(i as u32) else {
                continue;
            };
            button.set_attribute("aria-pressed", if entry.visible { "true" } else { "false" })?;
            button.set_attribute(
                "title",
                &format!(
                    "{}: click to {}",
                    entry.label,
                    if entry.visible { "hide" } else { "show" }
                ),
            )?;
            let parts = button.children();
            if let Some(swatch) = parts.item(0) {
                let swatch: HtmlElement = wasm_bindgen::JsCast::unchecked_into(swatch);
                swatch.style().set_property(
                    "background",
                    if entry.visible {
                        &entry.color
                    } else {
                        "transparent"
                    },
                )?;
                swatch
                    .style()
                    .set_property("outline", &format!("1px solid {}", entry.color))?;
            }
            if let Some(name) = parts.item(1) {
                name.set_text_content(Some(&entry.label));
            }
            if let Some(stats) = parts.item(2) {
                stats.set_text_content(Some(&entry.summary));
            }
            let button: HtmlElement = wasm_bindgen::JsCast::unchecked_into(button);
            button
                .style()
                .set_property("opacity", if entry.visible { "1" } else { "0.5" })?;
        }
        Ok(())
    }
}
