//! The terminal scorecard on the bundled scenarios: short enough to read after a timeline, and
//! saying what a facilitator needs to say.

use ttx::scorecard_text;
use ttx::term::Layout;

use ttx_scenario::library;

fn render(name: &str, seed: u64) -> String {
    let sc = library::find(name).unwrap().load().unwrap();
    let trace = ttx_sim::Simulation::new(&sc).unwrap().run(seed);
    let card = ttx_scoring::score(&sc, &trace);
    // One line per item, so that phrases can be looked for whole.
    let wide = Layout {
        wide: true,
        ..Layout::default()
    };
    scorecard_text::render(&card, &sc, &wide)
}

#[test]
fn bundled_scenarios_fit_on_a_screen_and_name_every_section() {
    for name in library::names() {
        let text = render(name, 1);
        let lines = text.lines().count();
        assert!(lines < 110, "{name}: {lines} lines\n{text}");
        for section in [
            "ESCALATION",
            "RESPONSE LATENCY",
            "NORM ADHERENCE",
            "CBM INDICATORS",
            "OBJECTIVES (HSEEP",
            "MSEL COVERAGE",
        ] {
            assert!(text.contains(section), "{name}: no {section}\n{text}");
        }
    }
}

#[test]
fn false_flag_scorecard_names_the_misattribution_and_the_breach() {
    let text = render("false-flag", 1);
    assert!(
        text.contains("✗ valdoria attributed inc-1 to ostravia at T+1d05:17 (r35"),
        "{text}"
    );
    assert!(
        text.contains("ground truth: marrenland directed it (r3)"),
        "{text}"
    );
    assert!(
        text.contains("valdoria breached norm b at T+1d05:17"),
        "{text}"
    );
    assert!(text.contains("o1 U"), "{text}");
}

#[test]
fn hospital_scorecard_says_when_borealia_breached_norm_c() {
    let text = render("hospital-ransomware", 1);
    // Notified through the technical PoC at T+1d05:32; it acknowledged, but 33.8h later.
    assert!(
        text.contains(
            "borealia breached norm c at T+2d05:32: acknowledged notification m8 about inc-1 only \
             after 33.827h, past the 24h target"
        ),
        "{text}"
    );
}
