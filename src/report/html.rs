//! The page around the content: escaping, one self-contained HTML document with inline CSS (a
//! print stylesheet included, since reports end up as PDFs attached to ministerial notes), figures
//! with text alternatives, tables, and links to trace records.
//!
//! The document makes no request of any kind: no scripts, no fonts, no images other than inline
//! SVG, and a Content-Security-Policy that forbids fetching anything, so a report opened from a
//! USB stick in an air-gapped room shows exactly what it showed on the facilitator's laptop.
//! Nothing in it depends on the clock or the machine: the same inputs give the same bytes.

use std::collections::BTreeSet;
use std::fmt::Write;

/// Escapes text for HTML element content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Links to trace records (`#r26`). Every number linked is remembered, so the record table can
/// make sure each link has its target; numbers the trace does not have stay plain text.
pub struct Links {
    records: u32,
    /// The record numbers present when they are not 1..=records (a team's share of a trace).
    only: Option<BTreeSet<u32>>,
    targets: BTreeSet<u32>,
}

impl Links {
    pub fn new(records: u32) -> Links {
        Links {
            records,
            only: None,
            targets: BTreeSet::new(),
        }
    }

    /// Links to the records `trace` holds, whatever their numbers (a team's share of a trace
    /// keeps the numbers of the whole one).
    pub fn of(trace: &ttx_scenario::Trace) -> Links {
        Links {
            records: 0,
            only: Some(trace.records.iter().map(|r| r.n).collect()),
            targets: BTreeSet::new(),
        }
    }

    /// `#r26`, or `None` when the trace has no record `n`.
    pub fn href(&mut self, n: u32) -> Option<String> {
        let present = match &self.only {
            Some(set) => set.contains(&n),
            None => (1..=self.records).contains(&n),
        };
        present.then(|| {
            self.targets.insert(n);
            format!("#r{n}")
        })
    }

    /// `<a href="#r26">r26</a>`.
    pub fn rec(&mut self, n: u32) -> String {
        match self.href(n) {
            Some(h) => format!("<a href=\"{h}\">r{n}</a>"),
            None => format!("r{n}"),
        }
    }

    /// Several records, space-separated.
    pub fn recs(&mut self, ns: &[u32]) -> String {
        ns.iter()
            .map(|&n| self.rec(n))
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The record numbers linked so far.
    pub fn targets(&self) -> &BTreeSet<u32> {
        &self.targets
    }
}

/// One section of a report: its anchor, heading and HTML body.
pub struct Section {
    pub id: &'static str,
    pub title: String,
    pub body: String,
}

/// The whole document: title, a header block, a table of contents, the sections and a footer.
pub fn document(title: &str, header: &str, sections: &[Section], footer: &str) -> String {
    let mut out = String::with_capacity(64 * 1024);
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n",
    );
    let _ = writeln!(out, "<title>{}</title>", esc(title));
    let _ = writeln!(out, "<style>{CSS}</style>\n</head>\n<body>\n<main>");
    out.push_str(header);
    out.push_str("<nav class=\"toc\" aria-label=\"Contents\"><ol>");
    for s in sections {
        let _ = write!(out, "<li><a href=\"#{}\">{}</a></li>", s.id, esc(&s.title));
    }
    out.push_str("</ol></nav>\n");
    for s in sections {
        let _ = write!(
            out,
            "<section id=\"{}\">\n<h2>{}</h2>\n{}</section>\n",
            s.id,
            esc(&s.title),
            s.body
        );
    }
    let _ = write!(
        out,
        "<footer>{footer}</footer>\n</main>\n</body>\n</html>\n"
    );
    out
}

/// A chart with its text alternatives: the SVG is an image named by `label` for screen readers,
/// `caption` says what it shows, and `alt` (a small table or a sentence, visible and printed)
/// carries the same data in words.
pub fn figure(svg: &str, label: &str, caption: &str, alt: &str) -> String {
    let svg = svg.replacen(
        "<svg ",
        &format!("<svg role=\"img\" aria-label=\"{}\" ", esc(label)),
        1,
    );
    format!(
        "<figure>\n{svg}<figcaption>{}</figcaption>\n{}</figure>\n",
        esc(caption),
        if alt.is_empty() {
            String::new()
        } else {
            format!("<div class=\"alt\">{alt}</div>\n")
        }
    )
}

/// A table. `head` is plain text; cells are HTML; columns listed in `num` are right-aligned
/// numbers.
pub fn table(class: &str, head: &[&str], num: &[usize], rows: &[Vec<String>]) -> String {
    let mut out = format!("<table class=\"{class}\">\n<thead><tr>");
    for (i, h) in head.iter().enumerate() {
        let c = if num.contains(&i) {
            " class=\"num\""
        } else {
            ""
        };
        let _ = write!(out, "<th scope=\"col\"{c}>{}</th>", esc(h));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in rows {
        out.push_str("<tr>");
        for (i, cell) in row.iter().enumerate() {
            let c = if num.contains(&i) {
                " class=\"num\""
            } else {
                ""
            };
            let _ = write!(out, "<td{c}>{cell}</td>");
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
    out
}

/// A paragraph of escaped text.
pub fn p(text: &str) -> String {
    format!("<p>{}</p>\n", esc(text))
}

/// A definition list of header facts.
pub fn facts(items: &[(&str, String)]) -> String {
    let mut out = String::from("<dl class=\"meta\">");
    for (k, v) in items {
        let _ = write!(out, "<dt>{}</dt><dd>{v}</dd>", esc(k));
    }
    out.push_str("</dl>\n");
    out
}

/// The footer line: which ttx wrote the report and from which files (names, never paths).
pub fn footer(sources: &str) -> String {
    format!(
        "After-action report written by ttx {} from {}. Every figure is recomputed from these files; \
         regenerate it with <code>ttx report DIR</code>.",
        env!("CARGO_PKG_VERSION"),
        esc(sources)
    )
}

const CSS: &str = r#"
:root{--ink:#1b1f24;--muted:#55606e;--line:#cfd5dd;--head:#f1f4f8;--accent:#1f4e79;
--ok:#dcefe0;--bad:#f7dcd9;--mixed:#fbecc8;--pend:#e6eaf0}
*{box-sizing:border-box}
body{font:15px/1.45 "DejaVu Sans",Helvetica,Arial,sans-serif;color:var(--ink);margin:0;background:#fff}
main{max-width:1220px;margin:0 auto;padding:20px 28px 40px}
header.report{border-bottom:3px solid var(--accent);padding-bottom:10px;margin-bottom:10px}
header.report .kicker{color:var(--accent);font-weight:bold;letter-spacing:.04em;text-transform:uppercase;font-size:12px}
h1{font-size:25px;margin:2px 0 8px}
h2{font-size:20px;margin:30px 0 8px;border-bottom:1px solid var(--line);padding-bottom:3px;color:var(--accent)}
h3{font-size:16px;margin:18px 0 6px}
.meta{display:grid;grid-template-columns:max-content 1fr;gap:1px 16px;font-size:14px;margin:6px 0}
.meta dt{color:var(--muted)}.meta dd{margin:0}
code{font-family:"DejaVu Sans Mono",monospace;font-size:.92em}
nav.toc ol{margin:6px 0;padding-left:22px;columns:3;font-size:14px}
table{border-collapse:collapse;margin:8px 0 14px;font-size:13.5px}
th,td{border:1px solid var(--line);padding:3px 7px;text-align:left;vertical-align:top}
th{background:var(--head)}
.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
figure{margin:10px 0 22px}
figure svg{max-width:100%;height:auto;display:block;border:1px solid var(--line)}
figcaption{font-size:13.5px;color:var(--muted);margin:4px 0}
.alt{font-size:13px}.alt table{font-size:12.5px}
.grid td.cell{text-align:center;min-width:2.3em;font-size:16px;padding:2px 4px}
.grid td.cell a{display:block;text-decoration:none;color:inherit}
.v-fulfilled{background:var(--ok)}.v-violated{background:var(--bad);font-weight:bold}
.v-mixed{background:var(--mixed)}.v-pending{background:var(--pend)}.v-na{color:#8c95a1}
.vh{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.findings li{margin:4px 0}
.badge{display:inline-block;min-width:1.6em;text-align:center;font-weight:bold;border:1px solid currentColor;border-radius:3px;padding:0 4px}
.r-P{color:#1d6b34}.r-S{color:#6b5a00}.r-M{color:#9a4a00}.r-U{color:#a4161a}
.status-FAILED,.status-PARTIAL{font-weight:bold}
.plan td:nth-child(n+6){height:3.6em}.plan th:nth-child(6){width:20%}.plan th:nth-child(7){width:10%}.plan th:nth-child(8){width:7%}
.panels{display:grid;grid-template-columns:repeat(auto-fill,minmax(430px,1fr));gap:0 16px}
.plan{width:100%}
.records td:nth-child(1),.records td:nth-child(2),.records td:nth-child(3){white-space:nowrap}
.records tr.high td{font-weight:bold}
.records tr.minor td{color:var(--muted)}
tr:target td{background:#fff2b8}
.legend{font-size:13px;color:var(--muted)}
.note{font-size:13px;color:var(--muted)}
footer{margin-top:36px;border-top:1px solid var(--line);padding-top:6px;font-size:12px;color:var(--muted)}
@page{size:A4;margin:14mm}
@media print{
body{font-size:10.5pt}main{max-width:none;padding:0}nav.toc{display:none}
h2{break-after:avoid}figure,tr,li{break-inside:avoid}a{color:inherit;text-decoration:none}
figure svg{border:none}
th,.v-fulfilled,.v-violated,.v-mixed,.v-pending,tr:target td{-webkit-print-color-adjust:exact;print-color-adjust:exact}
}
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            esc("<a href=\"x\">R&D's</a>"),
            "&lt;a href=&quot;x&quot;&gt;R&amp;D&#39;s&lt;/a&gt;"
        );
    }

    #[test]
    fn links_only_to_records_the_trace_has_and_remembers_them() {
        let mut l = Links::new(10);
        assert_eq!(l.rec(3), "<a href=\"#r3\">r3</a>");
        assert_eq!(l.rec(11), "r11");
        assert_eq!(l.rec(0), "r0");
        assert_eq!(l.targets().iter().copied().collect::<Vec<_>>(), [3]);
    }

    #[test]
    fn figures_name_their_svg_for_screen_readers() {
        let f = figure("<svg width=\"1\">\n</svg>\n", "a \"chart\"", "cap", "");
        assert!(f.contains("<svg role=\"img\" aria-label=\"a &quot;chart&quot;\" width=\"1\">"));
        assert!(f.contains("<figcaption>cap</figcaption>"));
    }
}
