//! The enrollment timeline: lanes (one per agency and program) of bars from entry to exit (open
//! ones run to today) on one time axis, move-in dates marked, and numbered marks (R-7's
//! overlaps) across every lane. An inline SVG drawn in percentages of its width, so it fits any
//! screen with its text at its real size; it has a title and a description, and the page shows
//! the same facts as a table next to it (this component draws, it decides nothing).

use chrono::{Datelike, NaiveDate};
use leptos::prelude::*;

/// One bar: a stay from `start` to `end` (`None`: still open), with its move-in date.
#[derive(Debug, Clone, PartialEq)]
pub struct TimelineBar {
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
    pub move_in: Option<NaiveDate>,
}

/// One lane: its label (agency · program) and its bars.
#[derive(Debug, Clone, PartialEq)]
pub struct TimelineLane {
    pub label: String,
    pub bars: Vec<TimelineBar>,
}

/// A numbered mark across every lane on `date` (e.g. the first night two stays overlap).
#[derive(Debug, Clone, PartialEq)]
pub struct TimelineMark {
    pub date: NaiveDate,
    pub number: usize,
}

// Heights in pixels; horizontal positions in hundredths of a percent (integers: no float
// formatting code in the WASM).
const LABEL_H: i64 = 20;
const BAR_H: i64 = 14;
const LANE_H: i64 = LABEL_H + BAR_H + 10;
const TOP: i64 = 22;
const AXIS_H: i64 = 26;

/// `v` hundredths of a percent as an SVG length ("12.34%").
fn pct(v: i64) -> String {
    format!("{}.{:02}%", v / 100, v % 100)
}

/// The first of the month on or after `d`.
fn month_after(d: NaiveDate) -> NaiveDate {
    let first = d.with_day(1).unwrap_or(d);
    if first == d {
        d
    } else {
        next_month(first)
    }
}

fn next_month(d: NaiveDate) -> NaiveDate {
    let (y, m) = if d.month() == 12 {
        (d.year() + 1, 1)
    } else {
        (d.year(), d.month() + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1).unwrap_or(d)
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

fn month_label(d: NaiveDate) -> String {
    format!("{} {}", MONTHS[d.month0() as usize], d.year())
}

#[component]
pub fn Timeline(
    lanes: Vec<TimelineLane>,
    marks: Vec<TimelineMark>,
    today: NaiveDate,
    /// The SVG's title (its accessible name).
    #[prop(into)]
    title: String,
    /// The SVG's description: the facts in one sentence; the page's table has them all.
    #[prop(into)]
    desc: String,
) -> impl IntoView {
    let starts = lanes.iter().flat_map(|l| l.bars.iter().map(|b| b.start));
    let ends = lanes
        .iter()
        .flat_map(|l| l.bars.iter().map(|b| b.end.unwrap_or(today)));
    let first = starts.min().unwrap_or(today);
    let last = ends.max().unwrap_or(today).max(today);
    // A little room on both sides, at least a month in all.
    let span = (last - first).num_days().max(30);
    let pad = (span / 20).max(2);
    let from = first - chrono::Duration::days(pad);
    let to = last + chrono::Duration::days(pad);
    let total = (to - from).num_days().max(1);
    let x = move |d: NaiveDate| ((d - from).num_days() * 10_000 / total).clamp(0, 10_000);

    let height = TOP + LANE_H * lanes.len().max(1) as i64 + AXIS_H;
    let axis_y = height - AXIS_H + 4;

    // Month ticks: at most five, evenly stepped.
    let mut months = Vec::new();
    let mut m = month_after(from);
    while m <= to {
        months.push(m);
        m = next_month(m);
    }
    let step = months.len().div_ceil(5).max(1);
    let ticks: Vec<NaiveDate> = months.into_iter().step_by(step).collect();

    let lane_views = lanes
        .into_iter()
        .enumerate()
        .map(|(i, lane)| {
            let y = TOP + LANE_H * i as i64;
            let bars = lane
                .bars
                .into_iter()
                .map(|b| {
                    let x0 = x(b.start);
                    let x1 = x(b.end.unwrap_or(today)).max(x0 + 60);
                    let open = b.end.is_none();
                    let class = if open { "tl-bar tl-open" } else { "tl-bar tl-ended" };
                    let move_in = b.move_in.map(|d| {
                        let mx = pct(x(d));
                        view! {
                            <line class="tl-move-in" x1=mx.clone() x2=mx.clone()
                                y1=(y + LABEL_H - 3).to_string() y2=(y + LABEL_H + BAR_H + 3).to_string() />
                            <circle class="tl-move-in-dot" cx=mx cy=(y + LABEL_H + BAR_H / 2).to_string() r="5" />
                        }
                    });
                    view! {
                        <rect class=class x=pct(x0) width=pct(x1 - x0) y=(y + LABEL_H).to_string()
                            height=BAR_H.to_string() rx="3" />
                        {open.then(|| view! {
                            <text class="tl-ongoing" x=pct(x1) dx="4" y=(y + LABEL_H + BAR_H - 2).to_string()
                                text-anchor="start">
                                {if x1 > 8_800 { "" } else { "ongoing" }}
                            </text>
                        })}
                        {move_in}
                    }
                })
                .collect_view();
            view! {
                <g class="tl-lane">
                    <text class="tl-label" x="0" y=(y + LABEL_H - 6).to_string()>{lane.label}</text>
                    <line class="tl-track" x1="0" x2="100%" y1=(y + LABEL_H + BAR_H / 2).to_string()
                        y2=(y + LABEL_H + BAR_H / 2).to_string() />
                    {bars}
                </g>
            }
        })
        .collect_view();

    let tick_views = ticks
        .into_iter()
        .map(|t| {
            let tx = x(t);
            let anchor = if tx < 800 {
                "start"
            } else if tx > 9_200 {
                "end"
            } else {
                "middle"
            };
            view! {
                <line class="tl-tick" x1=pct(tx) x2=pct(tx) y1=TOP.to_string() y2=(axis_y - 2).to_string() />
                <text class="tl-tick-label" x=pct(tx) y=(axis_y + 14).to_string() text-anchor=anchor>
                    {month_label(t)}
                </text>
            }
        })
        .collect_view();

    let today_x = pct(x(today));
    let mark_views = marks
        .into_iter()
        .map(|mk| {
            let mx = pct(x(mk.date));
            view! {
                <g class="tl-mark" data-test-id="timeline-mark">
                    <line class="tl-mark-line" x1=mx.clone() x2=mx.clone() y1="14" y2=(axis_y - 2).to_string() />
                    <circle class="tl-mark-dot" cx=mx.clone() cy="10" r="9" />
                    <text class="tl-mark-number" x=mx y="14" text-anchor="middle">{mk.number.to_string()}</text>
                </g>
            }
        })
        .collect_view();

    view! {
        <svg class="timeline" role="img" aria-labelledby="timeline-title timeline-desc"
            width="100%" height=height.to_string() data-test-id="timeline">
            <title id="timeline-title">{title}</title>
            <desc id="timeline-desc">{desc}</desc>
            {tick_views}
            <line class="tl-axis" x1="0" x2="100%" y1=axis_y.to_string() y2=axis_y.to_string() />
            <line class="tl-today" x1=today_x.clone() x2=today_x.clone() y1=TOP.to_string() y2=axis_y.to_string() />
            {lane_views}
            {mark_views}
        </svg>
    }
}
