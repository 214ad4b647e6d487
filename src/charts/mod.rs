//! Server-rendered SVG charts of the review board (issue #12), drawn with
//! plotters' SVG backend. Every chart is an `<svg role="img">` with a
//! `<title>`; pages show the same numbers in a table beside it, so a chart
//! is never the only way to read a figure. Text stays `<text>` (no fonts are
//! embedded); the browser draws it.

use crate::domain::text::escape_html as escape;
use plotters::prelude::*;

const WIDTH: u32 = 640;
const HEIGHT: u32 = 280;
/// Series colours, told apart by their dash pattern and legend too.
const COLOURS: [RGBColor; 4] = [
    RGBColor(31, 94, 168),
    RGBColor(196, 82, 25),
    RGBColor(46, 125, 50),
    RGBColor(106, 27, 154),
];

/// One line of a line chart: its legend and a value (or a gap) per x label.
pub struct Line {
    pub name: String,
    pub values: Vec<Option<f64>>,
}

/// A bar chart with one bar per label; `title` is what a screen reader says.
pub fn bars(title: &str, labels: &[String], values: &[f64]) -> String {
    let top = values.iter().copied().fold(0.0, f64::max).max(1.0) * 1.1;
    let mut svg = String::new();
    let drawn = (|| -> Result<(), Box<dyn std::error::Error + '_>> {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE)?;
        let n = labels.len().max(1) as f64;
        let mut chart = ChartBuilder::on(&root)
            .margin(12)
            .x_label_area_size(36)
            .y_label_area_size(48)
            .build_cartesian_2d(-0.5f64..n - 0.5, 0f64..top)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .max_light_lines(0)
            .label_style(("sans-serif", 16))
            .x_labels(labels.len().clamp(2, 16))
            .x_label_formatter(&|x| label_at(labels, *x))
            .y_label_formatter(&|y| trim(*y))
            .draw()?;
        chart.draw_series(values.iter().enumerate().map(|(at, v)| {
            let x = at as f64;
            Rectangle::new([(x - 0.35, 0.0), (x + 0.35, *v)], COLOURS[0].filled())
        }))?;
        root.present()?;
        Ok(())
    })();
    finish(svg, drawn.is_ok(), title)
}

/// A line chart over shared x labels (months, days); `title` as for [`bars`].
pub fn lines(title: &str, labels: &[String], lines: &[Line]) -> String {
    let values = lines
        .iter()
        .flat_map(|l| l.values.iter().flatten().copied());
    let top = values.fold(0.0, f64::max).max(1.0) * 1.1;
    let mut svg = String::new();
    let drawn = (|| -> Result<(), Box<dyn std::error::Error + '_>> {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE)?;
        let last = labels.len().saturating_sub(1).max(1) as f64;
        let mut chart = ChartBuilder::on(&root)
            .margin(12)
            .x_label_area_size(36)
            .y_label_area_size(48)
            .build_cartesian_2d(-0.3f64..last + 0.3, 0f64..top)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .max_light_lines(0)
            .label_style(("sans-serif", 16))
            .x_labels(labels.len().clamp(2, 12))
            .x_label_formatter(&|x| label_at(labels, *x))
            .y_label_formatter(&|y| trim(*y))
            .draw()?;
        for (at, line) in lines.iter().enumerate() {
            let colour = COLOURS[at % COLOURS.len()];
            let points: Vec<(f64, f64)> = line
                .values
                .iter()
                .enumerate()
                .filter_map(|(i, v)| v.map(|v| (i as f64, v)))
                .collect();
            chart
                .draw_series(LineSeries::new(points.clone(), colour.stroke_width(2)))?
                .label(line.name.as_str())
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 16, y)], colour.stroke_width(2))
                });
            // Markers of different shapes, so lines differ without colour.
            match at % 3 {
                0 => {
                    chart.draw_series(points.iter().map(|p| Circle::new(*p, 4, colour.filled())))?
                }
                1 => chart.draw_series(
                    points
                        .iter()
                        .map(|p| TriangleMarker::new(*p, 5, colour.filled())),
                )?,
                _ => chart.draw_series(
                    points
                        .iter()
                        .map(|p| Cross::new(*p, 4, colour.stroke_width(2))),
                )?,
            };
        }
        if lines.len() > 1 {
            chart
                .configure_series_labels()
                .label_font(("sans-serif", 16))
                .background_style(WHITE.mix(0.9))
                .border_style(BLACK)
                .draw()?;
        }
        root.present()?;
        Ok(())
    })();
    finish(svg, drawn.is_ok(), title)
}

/// The label of the bar or point at `x`, if `x` falls on one.
fn label_at(labels: &[String], x: f64) -> String {
    let rounded = x.round();
    if (x - rounded).abs() > 0.01 || rounded < 0.0 {
        return String::new();
    }
    labels.get(rounded as usize).cloned().unwrap_or_default()
}

/// An axis number without needless decimals.
fn trim(value: f64) -> String {
    if (value - value.round()).abs() < 1e-9 {
        format!("{value:.0}")
    } else {
        format!("{value:.1}")
    }
}

/// Makes the drawing an accessible image that follows the page's width:
/// `role="img"`, an (escaped) `<title>`, and `width="100%"` without a height,
/// so the viewBox keeps its proportions (the site's CSP allows no inline style).
fn finish(svg: String, drawn: bool, title: &str) -> String {
    let title = escape(title);
    if !drawn {
        tracing::warn!(%title, "a chart could not be drawn");
        return String::new();
    }
    let Some(open_end) = svg.find('>') else {
        return String::new();
    };
    let (open, rest) = svg.split_at(open_end);
    let open = open
        .replacen(
            &format!("width=\"{WIDTH}\" height=\"{HEIGHT}\""),
            "width=\"100%\"",
            1,
        )
        .replacen(
            "<svg ",
            &format!("<svg role=\"img\" aria-label=\"{title}\" class=\"chart\" "),
            1,
        );
    format!("{open}><title>{title}</title>{}", &rest[1..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bar_chart_is_an_accessible_svg_image() {
        let labels: Vec<String> = (1..=5).map(|s| format!("{s}★")).collect();
        let svg = bars("Stars <of> route", &labels, &[1.0, 0.0, 2.0, 5.0, 9.0]);
        assert!(
            svg.starts_with("<svg role=\"img\" aria-label=\"Stars &lt;of&gt; route\""),
            "{}",
            &svg[..svg.len().min(300)]
        );
        assert!(
            svg.contains("<title>Stars &lt;of&gt; route</title>"),
            "{svg}"
        );
        assert!(svg.contains("\n5★\n</text>"), "labels are text: {svg}");
        assert!(svg.contains("\n1★\n</text>"));
        assert!(svg.trim_end().ends_with("</svg>"));
    }

    #[test]
    fn a_line_chart_skips_gaps_and_names_its_lines() {
        let labels = vec![
            "2026-01".to_owned(),
            "2026-02".to_owned(),
            "2026-03".to_owned(),
        ];
        let svg = lines(
            "Trend",
            &labels,
            &[
                Line {
                    name: "A".into(),
                    values: vec![Some(4.0), None, Some(3.5)],
                },
                Line {
                    name: "B".into(),
                    values: vec![None, None, None],
                },
            ],
        );
        assert!(svg.contains("role=\"img\""));
        assert!(svg.contains("2026-03"));
        assert!(svg.contains("\nA\n</text>"), "legend names the line: {svg}");
    }
}
