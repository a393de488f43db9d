//! Playing a move: the one place the engine turns a [`Move`] — a state sending a message because
//! the script, a human team or the facilitator says so — into traffic. A scripted `Move` inject
//! arrives here through [`PlayMove`]; a live exercise's moves through [`play_live`]. From here on the message is treated exactly like one a bot produced: it waits
//! for the sender's PoC desk to be on duty, is delivered (or bounces), and the receiver's bot
//! answers it.

use bevy_ecs::prelude::*;
use bevy_ecs::system::{SystemParamValidationError, SystemState};
use ttx_scenario::{MessageKind, Move, Name};

use crate::components::{Directory, Incident, Investigation, Mailroom};
use crate::ctx::{Run, RunState};
use crate::incidents::round3;

/// Play `0` now; `1` names where it came from (the inject id), for the timeline.
#[derive(Message, Clone)]
pub struct PlayMove(pub Move, pub Name);

pub fn play_moves(
    (mut ctx, mail): Run,
    mut due: MessageReader<PlayMove>,
    dir: Res<Directory>,
    investigations: Query<(&Incident, &Investigation)>,
) {
    for PlayMove(mv, origin) in due.read() {
        play(&mut ctx, &mail, &dir, &investigations, mv, origin, false);
    }
}

/// A move a team or the facilitator makes in a live exercise, played at once, between ticks.
pub(crate) fn play_live(
    world: &mut World,
    run: &mut RunState,
    mail: &Mailroom,
    mv: &Move,
) -> Result<(), SystemParamValidationError> {
    let mut params =
        SystemState::<(Res<Directory>, Query<(&Incident, &Investigation)>)>::new(world);
    let (dir, investigations) = params.get(world)?;
    play(run, mail, &dir, &investigations, mv, "live", true);
    Ok(())
}

/// Resolves what the move answers and the defaults it leaves to the engine, then posts its
/// message as the sender's.
#[allow(clippy::too_many_arguments)]
pub(crate) fn play(
    ctx: &mut RunState,
    mail: &Mailroom,
    dir: &Directory,
    investigations: &Query<(&Incident, &Investigation)>,
    mv: &Move,
    origin: &str,
    live: bool,
) {
    let prep = ctx.setup.0.clone();
    let Some(by) = prep.try_state(&mv.by) else {
        return;
    };
    let draft = &mv.message;
    let answered = match (&draft.refers_to, draft.answers) {
        (Some(id), _) => mail.sent.iter().find(|m| &m.msg == id).map(|m| &**m),
        (None, Some(kind)) => mail
            .sent
            .iter()
            .zip(&mail.arrived)
            .rev()
            .find(|(m, arrived)| {
                **arrived
                    && m.kind == kind
                    && m.to == mv.by
                    && m.from == draft.to
                    && draft
                        .about
                        .as_ref()
                        .is_none_or(|a| m.about.is_some_and(|x| x == *a))
            })
            .map(|(m, _)| &**m),
        (None, None) => None,
    };
    if answered.is_none()
        && let Some(kind) = draft.answers
    {
        let about = draft
            .about
            .as_deref()
            .map_or(String::new(), |a| format!(" about {a}"));
        ctx.decision(
            by,
            "unanswerable",
            draft.about.as_deref().map(Name::new),
            format!(
                "(move {origin}) had received no {} from {}{about}; sends its {} answering nothing",
                kind.label(),
                draft.to,
                draft.kind.label()
            ),
        );
    }
    let mut m = draft.to_message(&mv.by, answered);
    // An attribution states the evidence its author has, unless the move says otherwise.
    if m.kind == MessageKind::PublicStatement
        && m.confidence.is_none()
        && let (Some(accused), Some(incident)) = (m.attributes_to.as_deref(), m.about.as_deref())
        && let Some(&e) = dir.incidents.get(&Name::new(incident))
        && let Ok((inc, inv)) = investigations.get(e)
        && inc.victim == by
    {
        m.confidence = Some(round3(inv.confidence_in(prep.try_state(accused))));
    }
    if live {
        // The team is at the table whatever the simulated hour: its message leaves at once
        // rather than waiting for its PoC desk's working hours.
        ctx.post_now(m);
    } else {
        ctx.post_move(m);
    }
}
