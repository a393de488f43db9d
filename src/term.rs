//! Text that fits the terminal. The width is the terminal's when standard output is one, and 80
//! when it is not (piped to a file or another program), so scripts always read the same layout;
//! `--width N` sets it and `--wide` asks for one line per record whatever the width. Long lines
//! wrap at word boundaries with a hanging indent; tables keep their columns, and when a table
//! is too wide for the terminal each row is stacked over two lines rather than wrapped mid-row.

use std::io::IsTerminal;
use unicode_width::UnicodeWidthStr;

/// The width of output that is not going to a terminal.
pub const DEFAULT_WIDTH: usize = 80;
/// Narrower than this, nothing can be laid out usefully; a smaller `--width` is raised to it.
pub const MIN_WIDTH: usize = 40;

/// How wide the output may be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Layout {
    pub width: usize,
    /// One line per record and per table row, whatever the width.
    pub wide: bool,
}

impl Default for Layout {
    fn default() -> Self {
        Layout::fixed(DEFAULT_WIDTH)
    }
}

impl Layout {
    /// From the command line: `--width N`, else the terminal's width when standard output is a
    /// terminal, else 80.
    pub fn detect(width: Option<usize>, wide: bool) -> Layout {
        let width = width.unwrap_or_else(|| {
            let out = std::io::stdout();
            if !out.is_terminal() {
                return DEFAULT_WIDTH;
            }
            terminal_size::terminal_size_of(out)
                .map_or(DEFAULT_WIDTH, |(terminal_size::Width(w), _)| w as usize)
        });
        Layout {
            width: width.max(MIN_WIDTH),
            wide,
        }
    }

    pub fn fixed(width: usize) -> Layout {
        Layout {
            width: width.max(MIN_WIDTH),
            wide: false,
        }
    }

    /// `text` after `prefix`, wrapped to the width with continuation lines indented by `indent`
    /// columns; one line per call with `--wide`. Always ends with a newline.
    pub fn line(&self, prefix: &str, text: &str, indent: usize) -> String {
        let first = format!("{prefix}{text}");
        if self.wide || width(&first) <= self.width {
            return first + "\n";
        }
        let pad = " ".repeat(indent.min(self.width / 2));
        let options = textwrap::Options::new(self.width)
            .initial_indent(prefix)
            .subsequent_indent(&pad)
            .break_words(true)
            .word_splitter(textwrap::WordSplitter::NoHyphenation)
            .wrap_algorithm(textwrap::WrapAlgorithm::FirstFit);
        let mut out = String::new();
        for l in textwrap::wrap(text, options) {
            out.push_str(l.trim_end());
            out.push('\n');
        }
        out
    }

    /// A paragraph indented by `indent` columns, its continuation lines two more.
    pub fn para(&self, indent: usize, text: &str) -> String {
        self.line(&" ".repeat(indent), text, indent + 2)
    }
}

/// Columns a string takes on a terminal (`→`, `✓` and `é` take one).
pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// `s` padded with spaces to `w` columns, on the left when `right`-aligned.
pub fn pad(s: &str, w: usize, right: bool) -> String {
    let fill = " ".repeat(w.saturating_sub(width(s)));
    if right {
        format!("{fill}{s}")
    } else {
        format!("{s}{fill}")
    }
}

/// Spaces between table columns.
const GAP: usize = 2;

/// A table with a key column (left-aligned) and value columns. It prints one line per row when
/// that fits (or with `--wide`); otherwise each row's key goes on its own line and its values on
/// the next, indented, under the headings laid out the same way. Rows never wrap mid-row.
pub struct Table {
    pub indent: usize,
    /// Headings: the key column's first, then each value column's with its alignment.
    pub key: String,
    pub values: Vec<(String, bool)>,
    pub rows: Vec<(String, Vec<String>)>,
}

impl Table {
    /// A table with these headings; `true` marks a right-aligned (numeric) column.
    pub fn new(indent: usize, key: &str, values: &[(&str, bool)]) -> Table {
        Table {
            indent,
            key: key.to_string(),
            values: values.iter().map(|(h, r)| (h.to_string(), *r)).collect(),
            rows: Vec::new(),
        }
    }

    pub fn row(&mut self, key: impl Into<String>, values: Vec<String>) {
        self.rows.push((key.into(), values));
    }

    /// Widths of the key column and of each value column, and of a whole one-line row.
    fn widths(&self) -> (usize, Vec<usize>, usize) {
        let value_widths: Vec<usize> = self
            .values
            .iter()
            .enumerate()
            .map(|(i, (h, _))| {
                let cells = self
                    .rows
                    .iter()
                    .filter_map(|(_, v)| v.get(i))
                    .map(|c| width(c));
                cells.chain([width(h)]).max().unwrap_or(0)
            })
            .collect();
        let key_width = self
            .rows
            .iter()
            .map(|(k, _)| width(k))
            .chain([width(&self.key)])
            .max()
            .unwrap_or(0);
        let values_width: usize = value_widths.iter().map(|w| w + GAP).sum();
        let one_line = self.indent + key_width + values_width;
        (key_width, value_widths, one_line)
    }

    /// Whether every row fits on one line at this width.
    pub fn fits(&self, layout: &Layout) -> bool {
        self.widths().2 <= layout.width
    }

    pub fn render(&self, layout: &Layout) -> String {
        let (key_width, value_widths, one_line) = self.widths();
        let values = |cells: Vec<&str>| -> String {
            let parts: Vec<String> = cells
                .iter()
                .zip(&value_widths)
                .zip(&self.values)
                .map(|((c, w), (_, right))| pad(c, *w, *right))
                .collect();
            parts.join(&" ".repeat(GAP))
        };
        let lead = " ".repeat(self.indent);
        let mut out = String::new();
        let heads: Vec<&str> = self.values.iter().map(|(h, _)| h.as_str()).collect();
        let rows = std::iter::once((self.key.as_str(), heads)).chain(
            self.rows
                .iter()
                .map(|(k, v)| (k.as_str(), v.iter().map(String::as_str).collect())),
        );
        if layout.wide || one_line <= layout.width {
            for (k, cells) in rows {
                let gap = " ".repeat(GAP);
                let line = format!("{lead}{}{gap}{}", pad(k, key_width, false), values(cells));
                out.push_str(line.trim_end());
                out.push('\n');
            }
        } else {
            let inner = " ".repeat(self.indent + 2);
            for (k, cells) in rows {
                out.push_str(&format!("{lead}{k}\n"));
                let line = format!("{inner}{}", values(cells));
                out.push_str(line.trim_end());
                out.push('\n');
            }
        }
        out
    }
}

/// A whole number with thousands separators: 14,840.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// How fast runs went, for people: "1,465 runs/s", or "4.2 s/run" when slower than one a
/// second (never "0 runs/s").
pub fn rate(runs: u64, secs: f64) -> String {
    if runs == 0 || secs <= 0.0 {
        return "no runs to do".into();
    }
    let per_sec = runs as f64 / secs;
    if per_sec >= 1.0 {
        format!("{} runs/s", thousands(per_sec.round() as u64))
    } else {
        format!("{:.1} s/run", secs / runs as f64)
    }
}

/// `n` and a noun in the right number: "1 point", "2 points".
pub fn count(n: impl Into<u64>, one: &str, many: &str) -> String {
    let n = n.into();
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_wrap_under_the_description_with_a_hanging_indent() {
        let l = Layout::fixed(40);
        let text = l.line(
            "  T+01:00  ",
            "one two three four five six seven eight nine ten",
            11,
        );
        assert_eq!(
            text,
            "  T+01:00  one two three four five six\n           seven eight nine ten\n"
        );
        let wide = Layout { wide: true, ..l };
        assert_eq!(
            wide.line("x ", "a b c d e f g h i j k l m n o p q r s t", 2)
                .lines()
                .count(),
            1
        );
    }

    #[test]
    fn tables_keep_rows_whole_and_stack_when_too_narrow() {
        let mut t = Table::new(2, "step", &[("n", true), ("p50", true)]);
        t.row("notify → acknowledge", vec!["1".into(), "0.31".into()]);
        t.row("ping → reply", vec!["12".into(), ">end".into()]);
        assert_eq!(
            t.render(&Layout::fixed(80)),
            "  step                   n   p50\n  notify → acknowledge   1  0.31\n  ping → reply          12  >end\n"
        );
        let narrow = Table {
            indent: 2,
            key: "a much longer key column than fits".into(),
            ..t
        };
        let text = narrow.render(&Layout::fixed(40));
        assert!(text.lines().all(|l| width(l) <= 40), "{text}");
        assert_eq!(text.lines().nth(1), Some("     n   p50"));
        assert_eq!(text.lines().nth(2), Some("  notify → acknowledge"));
    }

    #[test]
    fn rates_read_as_runs_per_second_or_seconds_per_run() {
        assert_eq!(rate(14_650, 10.0), "1,465 runs/s");
        assert_eq!(rate(3, 12.6), "4.2 s/run");
        assert_eq!(rate(1, 1.0), "1 runs/s");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }

    #[test]
    fn counts_say_one_point_and_two_points() {
        assert_eq!(count(1u64, "point", "points"), "1 point");
        assert_eq!(count(2u32, "point", "points"), "2 points");
        assert_eq!(count(0u8, "run", "runs"), "0 runs");
    }
}
