//! Norms i and j on hand-written traces.

mod common;
use common::*;
use ttx_scenario::TraceEvent;
use ttx_scoring::norms::VerdictStatus;
use ttx_scoring::score;

fn compromise(
    b: &mut Tb,
    t: i64,
    item: &str,
    vendor_state: &str,
    directed_by: Option<&str>,
) -> u32 {
    b.push(
        t,
        TraceEvent::CompromiseStarted {
            item: item.into(),
            vendor: "acme".into(),
            vendor_state: vendor_state.into(),
            affected: vec!["hospital".into()],
            by: "gang".into(),
            directed_by: directed_by.map(Into::into),
        },
    )
}

fn found(b: &mut Tb, t: i64, item: &str, state: &str) -> u32 {
    b.push(
        t,
        TraceEvent::CompromiseFound {
            item: item.into(),
            state: state.into(),
        },
    )
}

fn exploited(b: &mut Tb, t: i64, item: &str, state: &str) -> u32 {
    b.push(
        t,
        TraceEvent::Exploited {
            item: item.into(),
            state: state.into(),
        },
    )
}

#[test]
fn norm_i_supply_chain_compromises_of_vendors_under_the_state() {
    let sc = scenario(&BASE.replace(
        r#"duration: "5d","#,
        r#"duration: "5d", scoring: Scoring(targets: Targets(disclose: "1d")),"#,
    ));
    let mut b = Tb::new(&sc);
    let sc1 = compromise(&mut b, H, "sc-1", "borealia", None);
    let sc2 = compromise(&mut b, H, "sc-2", "cordovia", None);
    let sc3 = compromise(&mut b, H, "sc-3", "aurelia", Some("aurelia"));
    let sc4 = compromise(&mut b, H, "sc-4", "borealia", None);
    let f2 = found(&mut b, 2 * H, "sc-2", "cordovia");
    let x2 = exploited(&mut b, 3 * H, "sc-2", "cordovia");
    let f1 = found(&mut b, 5 * H, "sc-1", "borealia");
    let f4 = found(&mut b, 6 * H, "sc-4", "borealia");
    // sc-1: told the affected state (aurelia owns the hospital) 15h after finding it.
    let r1 = b.send(
        20 * H,
        cert(K::VulnerabilityReport, "borealia", "aurelia").about("sc-1"),
    );
    // sc-4: told only cordovia, which is not affected: silence towards the users.
    let r4 = b.send(
        21 * H,
        cert(K::VulnerabilityReport, "borealia", "cordovia").about("sc-4"),
    );
    let card = score(&sc, &b.finish());

    let v = verdict(&card, "borealia", 'i');
    assert_eq!(v.status, VerdictStatus::Mixed);
    assert_eq!(
        outcomes(v),
        vec![(sc1, F, vec![sc1, f1, r1.n]), (sc4, V, vec![sc4, f4])]
    );
    assert!(v.evidence[1].reason.contains("stayed silent about sc-4"));
    assert_eq!(v.evidence[1].t, 6 * H + 24 * H);
    assert_ne!(r4.n, 0);
    let v = verdict(&card, "cordovia", 'i');
    assert_eq!(outcomes(v), vec![(sc2, V, vec![sc2, x2])]);
    assert!(f2 < x2);
    let v = verdict(&card, "aurelia", 'i');
    assert_eq!(outcomes(v), vec![(sc3, V, vec![sc3])]);
    assert!(v.evidence[0].reason.contains("directed the compromise"));
    for s in ["aurelia", "borealia", "cordovia"] {
        assert_na(verdict(&card, s, 'j'));
    }
}

#[test]
fn norm_j_vulnerabilities_disclosed_or_exploited() {
    let sc = base();
    let mut b = Tb::new(&sc);
    let vuln = |b: &mut Tb, t, item: &str, state: &str| {
        b.push(
            t,
            TraceEvent::VulnerabilityFound {
                item: item.into(),
                state: state.into(),
                vendor_state: "cordovia".into(),
                product: "router".into(),
                severity: 4,
            },
        )
    };
    let v1 = vuln(&mut b, H, "v-1", "aurelia");
    let v2 = vuln(&mut b, H, "v-2", "borealia");
    let x2 = exploited(&mut b, 2 * H, "v-2", "borealia");
    // To the vendor's state and to another state's CERT (norm j guidance ii).
    let r1 = b.send(
        10 * H,
        cert(K::VulnerabilityReport, "aurelia", "cordovia").about("v-1"),
    );
    let r2 = b.send(
        11 * H,
        cert(K::VulnerabilityReport, "aurelia", "borealia").about("v-1"),
    );
    let card = score(&sc, &b.finish());
    let v = verdict(&card, "aurelia", 'j');
    assert_eq!(v.status, VerdictStatus::Fulfilled);
    assert_eq!(outcomes(v), vec![(v1, F, vec![v1, r1.n, r2.n])]);
    let v = verdict(&card, "borealia", 'j');
    assert_eq!(outcomes(v), vec![(v2, V, vec![v2, x2])]);
    assert_na(verdict(&card, "cordovia", 'j'));
    for s in ["aurelia", "borealia", "cordovia"] {
        assert_na(verdict(&card, s, 'i'));
    }
}
