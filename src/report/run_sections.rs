//! The judgement half of a run's report: the norm grid (states × norms a–k, each cell linking to
//! the record that decided it), the HSEEP ratings of the objectives with their expectations, and
//! the improvement plan with room to write corrective actions by hand.

use super::findings::{self, Issue, norm_phrase};
use super::html::{Links, Section, esc, p, table};
use crate::scorecard_text::{NORM_LEGEND, counts, join, rate, rating, status, status_symbol};
use std::fmt::Write;
use ttx_scenario::time::clock_minutes;
use ttx_scenario::{Norm, Scenario};
use ttx_scoring::Scorecard;
use ttx_scoring::norms::{Outcome, VerdictStatus};
use ttx_scoring::objectives::Rating;

/// Evidence entries listed per norm before the rest is counted.
const MAX_EVIDENCE_PER_NORM: usize = 25;
/// Expectations listed before the rest is left to the scorecard.
const MAX_EXPECTATIONS: usize = 100;

/// The word for a verdict status, as the legend spells it.
fn status_word(s: VerdictStatus) -> &'static str {
    NORM_LEGEND.iter().find(|l| l.0 == s).map_or("", |l| l.1)
}

/// CSS class of a verdict cell.
fn cell_class(s: VerdictStatus) -> &'static str {
    match s {
        VerdictStatus::Fulfilled => "v-fulfilled",
        VerdictStatus::Violated => "v-violated",
        VerdictStatus::Mixed => "v-mixed",
        VerdictStatus::Pending => "v-pending",
        VerdictStatus::NotApplicable => "v-na",
    }
}

fn outcome_word(o: Outcome) -> &'static str {
    match o {
        Outcome::Fulfilled => "fulfilled",
        Outcome::Violated => "violated",
        Outcome::Pending => "pending",
    }
}

fn legend() -> String {
    let parts: Vec<String> = NORM_LEGEND
        .iter()
        .map(|(s, word, note)| {
            let note = if note.is_empty() {
                String::new()
            } else {
                format!(" ({note})")
            };
            format!(
                "<span class=\"{}\">&nbsp;{}&nbsp;</span> {word}{note}",
                cell_class(*s),
                status_symbol(*s)
            )
        })
        .collect();
    format!("<p class=\"legend\">{}</p>\n", parts.join(" &nbsp; "))
}

pub fn norms(card: &Scorecard, links: &mut Links) -> Section {
    let mut body = p(
        "For each state and each of the eleven norms (A/70/174 ¶13 a–k, reaffirmed in A/75/816): ✓ every opportunity fulfilled, ✗ every one violated, ~ mixed, ? pending, · no opportunity (n/a, never counted as success). Each cell links to the first trace record that decided it; the evidence below lists them all.",
    );
    body.push_str("<table class=\"grid\">\n<thead><tr><th scope=\"col\">state</th>");
    for n in Norm::ALL {
        let _ = write!(
            body,
            "<th scope=\"col\" title=\"{}\">{}</th>",
            esc(n.title()),
            n.letter()
        );
    }
    body.push_str("</tr></thead>\n<tbody>\n");
    for state in &card.states {
        let Some(row) = card.norms.get(state) else {
            continue;
        };
        let _ = write!(body, "<tr><th scope=\"row\">{}</th>", esc(state));
        for n in Norm::ALL {
            let letter = ttx_scoring::norms::letter(n);
            let Some(v) = row.get(&letter) else {
                body.push_str("<td class=\"cell v-na\">·</td>");
                continue;
            };
            let word = status_word(v.status);
            let symbol = status_symbol(v.status);
            let records: Vec<u32> = v.evidence.iter().map(|e| e.n).collect();
            let title = format!(
                "{state}, norm {letter} ({}): {word}; {} opportunit{}, {} fulfilled, {} violated, {} pending{}",
                n.title(),
                v.opportunities,
                if v.opportunities == 1 { "y" } else { "ies" },
                v.fulfilled,
                v.violated,
                v.pending,
                if records.is_empty() {
                    String::new()
                } else {
                    format!(
                        "; evidence {}",
                        records
                            .iter()
                            .map(|r| format!("r{r}"))
                            .collect::<Vec<_>>()
                            .join(" ")
                    )
                }
            );
            let inner = format!("{symbol}<span class=\"vh\"> {word}</span>");
            match records.first().and_then(|&r| links.href(r)) {
                Some(href) => {
                    let _ = write!(
                        body,
                        "<td class=\"cell {}\"><a href=\"{href}\" title=\"{}\">{inner}</a></td>",
                        cell_class(v.status),
                        esc(&title)
                    );
                }
                None => {
                    let _ = write!(
                        body,
                        "<td class=\"cell {}\" title=\"{}\">{inner}</td>",
                        cell_class(v.status),
                        esc(&title)
                    );
                }
            }
        }
        body.push_str("</tr>\n");
    }
    body.push_str("</tbody>\n</table>\n");
    body.push_str(&legend());
    let key: Vec<String> = Norm::ALL
        .iter()
        .map(|n| format!("<b>{}</b> {}", n.letter(), esc(n.title())))
        .collect();
    let _ = writeln!(body, "<p class=\"legend\">{}</p>", key.join(" · "));
    body.push_str("<h3>Evidence</h3>\n");
    let mut any = false;
    for n in Norm::ALL {
        let letter = ttx_scoring::norms::letter(n);
        let mut entries = Vec::new();
        let mut basis = "";
        for state in &card.states {
            if let Some(v) = card.norms.get(state).and_then(|r| r.get(&letter)) {
                basis = &v.basis;
                entries.extend(v.evidence.iter().map(|e| (state.as_str(), e)));
            }
        }
        if entries.is_empty() {
            continue;
        }
        any = true;
        // Violations first, then pending, then fulfilled; in time order within each.
        let rank = |o: Outcome| match o {
            Outcome::Violated => 0,
            Outcome::Pending => 1,
            Outcome::Fulfilled => 2,
        };
        entries.sort_by_key(|(_, e)| (rank(e.outcome), e.t, e.n));
        let _ = writeln!(
            body,
            "<h4>{}</h4>\n<p class=\"note\">Rule rests on: {}</p>\n<ul>",
            esc(&norm_phrase(&letter)),
            esc(basis)
        );
        for (state, e) in entries.iter().take(MAX_EVIDENCE_PER_NORM) {
            let _ = writeln!(
                body,
                "<li>{} <strong>{}</strong> {} at {}: {} ({})</li>",
                esc(state),
                match e.outcome {
                    Outcome::Fulfilled => "✓",
                    Outcome::Violated => "✗",
                    Outcome::Pending => "?",
                },
                outcome_word(e.outcome),
                clock_minutes(e.t),
                esc(&e.reason),
                links.recs(&e.records)
            );
        }
        if entries.len() > MAX_EVIDENCE_PER_NORM {
            let rest = &entries[MAX_EVIDENCE_PER_NORM..];
            let count = |o| rest.iter().filter(|(_, e)| e.outcome == o).count();
            let _ = writeln!(
                body,
                "<li>… and {} more ({} violated, {} pending, {} fulfilled); scorecard.json lists every one.</li>",
                rest.len(),
                count(Outcome::Violated),
                count(Outcome::Pending),
                count(Outcome::Fulfilled)
            );
        }
        body.push_str("</ul>\n");
    }
    if !any {
        body.push_str(&p("No norm applied to anything that happened in this run."));
    }
    Section {
        id: "norms",
        title: "Norm adherence".into(),
        body,
    }
}

/// An HSEEP rating as a badge with its meaning.
pub fn rating_badge(r: Option<Rating>) -> String {
    match r {
        Some(r) => format!(
            "<span class=\"badge r-{0}\">{0}</span> {1}",
            rating(Some(r)),
            r.meaning()
        ),
        None => "– not rated (nothing decided)".into(),
    }
}

pub fn objectives(card: &Scorecard, links: &mut Links) -> Section {
    let o = &card.objectives;
    let mut body = p(
        "HSEEP ratings from each objective's expectations: P performed without challenges (all met), S with some challenges, M with major challenges, U unable to be performed; expectations still pending at the end do not count.",
    );
    if o.objectives.is_empty() && o.expectations.is_empty() {
        body.push_str(&p("The scenario states no objectives or expectations."));
    }
    if !o.objectives.is_empty() {
        let rows: Vec<Vec<String>> = o
            .objectives
            .iter()
            .map(|x| {
                vec![
                    esc(&x.id),
                    esc(&x.title),
                    rating_badge(x.rating),
                    x.score.map_or("–".into(), |s| format!("{s:.2}")),
                    counts(x, " / "),
                ]
            })
            .collect();
        body.push_str(&table(
            "data",
            &[
                "objective",
                "title",
                "rating",
                "score",
                "success / partial / failed / pending",
            ],
            &[3],
            &rows,
        ));
    }
    if !o.expectations.is_empty() {
        let rows: Vec<Vec<String>> = o
            .expectations
            .iter()
            .take(MAX_EXPECTATIONS)
            .map(|e| {
                let st = status(e.status);
                vec![
                    esc(&e.id),
                    esc(e.objective.as_deref().unwrap_or("–")),
                    esc(&format!("{} {}", e.actor, e.does)),
                    esc(e.norm.as_deref().unwrap_or("–")),
                    format!("<span class=\"status-{st}\">{st}</span>"),
                    esc(&e.reason),
                    links.recs(&e.evidence),
                ]
            })
            .collect();
        body.push_str("<h3>Expectations</h3>\n");
        body.push_str(&table(
            "data",
            &[
                "id",
                "objective",
                "expected",
                "norm",
                "status",
                "why",
                "evidence",
            ],
            &[],
            &rows,
        ));
        if o.expectations.len() > MAX_EXPECTATIONS {
            body.push_str(&p(&format!(
                "… and {} more expectations in scorecard.json.",
                o.expectations.len() - MAX_EXPECTATIONS
            )));
        }
    }
    let c = &o.coverage;
    let mut cov = format!(
        "MSEL coverage: {} of {} injects that call for a response are checked by an expectation ({}).",
        c.covered,
        c.total,
        rate(c.ratio)
    );
    if !c.uncovered.is_empty() {
        let _ = write!(cov, " Unchecked: {}.", join(&c.uncovered, ", "));
    }
    body.push_str(&p(&cov));
    Section {
        id: "objectives",
        title: "Objectives (HSEEP)".into(),
        body,
    }
}

pub fn plan(card: &Scorecard, sc: &Scenario, links: &mut Links) -> Section {
    let (rows, left) = findings::improvement_plan(card, sc);
    let mut body = p(
        "Improvement plan (HSEEP AAR/IP): each expectation that failed or was met only in part, and each norm breach no expectation caught, with the norm and objective it touches. The last three columns are for the after-action meeting to fill in.",
    );
    if rows.is_empty() {
        body.push_str(&p(
            "No expectation failed or was met only in part, and no norm was breached: nothing to correct in this run.",
        ));
    } else {
        let cells: Vec<Vec<String>> = rows
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let issue = match &r.issue {
                    Issue::Expectation { .. } => format!(
                        "<strong>{}</strong><br>{}",
                        esc(&r.issue_label()),
                        esc(&r.actor)
                    ),
                    Issue::Breach => format!("{}<br>{}", esc(&r.issue_label()), esc(&r.actor)),
                };
                let mut touches = Vec::new();
                if let Some(n) = &r.norm {
                    touches.push(esc(&norm_phrase(n)));
                }
                if let Some((id, title, rt)) = &r.objective {
                    touches.push(format!(
                        "objective {} ({}){}",
                        esc(id),
                        esc(title),
                        rt.map_or(String::new(), |x| format!(", rated {}", rating(Some(x))))
                    ));
                }
                vec![
                    (i + 1).to_string(),
                    issue,
                    format!(
                        "Expected: {}<br>Observed: {}",
                        esc(&r.expected),
                        esc(&r.reason)
                    ),
                    if touches.is_empty() {
                        "–".into()
                    } else {
                        touches.join("<br>")
                    },
                    links.recs(&r.records),
                    String::new(),
                    String::new(),
                    String::new(),
                ]
            })
            .collect();
        let t = table(
            "plan",
            &[
                "#",
                "issue",
                "expected and observed",
                "norm / objective",
                "evidence",
                "corrective action",
                "responsible",
                "due",
            ],
            &[0],
            &cells,
        );
        body.push_str(&t);
        if left > 0 {
            body.push_str(&p(&format!(
                "… and {left} more issues; scorecard.json lists every failed expectation and norm breach."
            )));
        }
    }
    Section {
        id: "plan",
        title: "Improvement plan".into(),
        body,
    }
}
