"""extract.discourse: one article's mentions read together.

Part of the `extract` stage, after each trigger became a mention: what a statement is about
("condemned the strikes" -> the airstrikes reported before), which later words only repeat an
event ("these strikes", "the talks") and take from it what they do not say, which parties "both
sides" are, and which event a count of dead or injured belongs to ("reported three deaths and
condemned the strikes"; "which led to the death of 6 cops"; "Jihadists attacked a post. Nine
soldiers were killed": one event, not two), with the victims, mode and ACLED category that follow
from it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from khabar.extract.arguments import Arguments
from khabar.extract.events import VIOLENT, Trigger, ancestors, frame
from khabar.extract.lexicon import EventLexicon
from khabar.extract.location import bare_name
from khabar.extract.tolls import Casualty
from khabar.models import Acled, ActorRef, Mention, Toll

__all__ = ["Found", "add_tolls", "fill_pairs", "link_about"]

#: Modalities of events that did not happen as told: no later words point back at them.
IRREALIS = frozenset({"hypothetical", "future", "negated", "denied"})


@dataclass
class Found:
    """A mention in the making, with the trigger it came from (None for a quotation's statement),
    the mention it is about, and the victims its sentence counts."""

    mention: Mention
    trigger: Trigger | None
    about: Found | None = None
    victims: list[ActorRef] = field(default_factory=list)


def link_about(found: list[Found], *, lexicon: EventLexicon) -> list[Found]:
    """Tie statements to the events they speak of; drop a repeat of an earlier event named only as
    the object of a statement ("condemned the strikes"), and let other repeats ("after these
    strikes") take what they lack from the event they repeat.

    found (list[Found]): the article's mentions in the making, in text order.
    lexicon (EventLexicon): the words that make a trigger a repeat.
    RETURNS (list[Found]): those that stay.
    """
    kept: list[Found] = []
    for item in found:
        trigger = item.trigger
        earlier = _antecedent(item, kept, lexicon) if trigger and not trigger.speech_act else None
        speaker = _statement_over(item, found)
        if earlier is not None and speaker is not None:
            speaker.about = speaker.about or earlier
            continue
        if speaker is not None and speaker.about is None:
            speaker.about = item
        if earlier is not None:
            _inherit(item.mention, earlier.mention)
        kept.append(item)
    for item in kept:
        about = item.about
        if about is not None and item.mention.mode == "claim-responsibility":
            # "the ELN claimed responsibility for a bombing": the claimant names the perpetrator
            about.mention.actors = about.mention.actors or list(item.mention.actors)
        if about is None or item.mention.type not in ("ACCUSE", "REJECT"):
            continue
        # "condemned the strikes": the strikers; "accused the army of bombing": the bombers; but
        # "the RSF denied responsibility for the attack" is not aimed at the RSF
        own = {a.actor or a.text for a in item.mention.actors}
        if not item.mention.recipients:
            item.mention.recipients = [a for a in about.mention.actors if (a.actor or a.text) not in own]
        elif not about.mention.actors and about.trigger and item.mention.type == "ACCUSE":
            about.mention.actors = list(item.mention.recipients)
    return kept


def fill_pairs(found: Sequence[Found], *, args: Arguments, symmetric: frozenset[str]) -> None:
    """ "Both sides", "the two countries": an event between equals naming no parties takes those
    of the last such event that named two.

    found (Sequence[Found]): the article's mentions in the making, in text order.
    args (Arguments): the article's argument reader.
    symmetric (frozenset[str]): the types whose parties are equals.
    """
    last: list[ActorRef] = []
    for item in found:
        mention, trigger = item.mention, item.trigger
        if trigger is None or mention.type not in symmetric:
            continue
        if len(mention.actors) + len(mention.recipients) >= 2:
            last = [*mention.actors, *mention.recipients]
        elif not mention.actors and last and args.pair_before(trigger.root):
            mention.actors = list(last)


def _antecedent(item: Found, earlier: Sequence[Found], lexicon: EventLexicon) -> Found | None:
    """The earlier event a trigger noun points back to ("these strikes", "the talks"): the
    latest one named with the same word ("airstrikes" for "the strikes"), else of the same type,
    else of the same family."""
    trigger = item.trigger
    if trigger is None or trigger.root.pos_ not in ("NOUN", "PROPN"):
        return None
    words = {c.lower_ for c in trigger.root.children if c.dep_ in ("det", "amod", "poss")}
    if not words & lexicon.anaphoric or words & lexicon.fresh or item.mention.date.start is not None:
        return None
    sent = trigger.root.sent
    before = [
        f
        for f in earlier
        if f.trigger
        and not f.trigger.speech_act
        and f.trigger.root.sent.start < sent.start
        and f.mention.modality not in IRREALIS
    ]
    lemma = trigger.root.lemma_.lower()
    # the same word may point back a long way; a mere type, only to the sentences just before
    near = trigger.root.doc[max(0, sent.start - 1)].sent.start
    near = trigger.root.doc[max(0, near - 1)].sent.start
    tests = (
        lambda t: t.type == trigger.type and t.root.lemma_.lower().endswith(lemma),
        lambda t: t.type == trigger.type and t.root.i >= near,
        lambda t: t.type in VIOLENT and trigger.type in VIOLENT and t.root.i >= near,
    )
    for test in tests:
        match = next((f for f in reversed(before) if f.trigger and test(f.trigger)), None)
        if match is not None:
            return match
    return None


def _statement_over(item: Found, found: Sequence[Found]) -> Found | None:
    """The nearest statement in the same sentence whose words govern this material trigger
    ("denied targeting civilians and accused the army of bombing markets": the accusation)."""
    trigger = item.trigger
    if trigger is None or trigger.verbal:
        return None
    heads = {f.trigger.root.i: f for f in found if f.trigger and f.trigger.verbal}
    token = trigger.root
    while token.head.i != token.i:
        token = token.head
        if token.i in heads:
            return heads[token.i]
    return None


def _inherit(mention: Mention, source: Mention) -> None:
    """A repeat of an event takes what it does not say itself from the first report of it."""
    if mention.date.precision == "none" and source.date.precision != "none":
        mention.date = source.date
    mention.location = mention.location or source.location
    mention.actors = mention.actors or list(source.actors)
    mention.recipients = mention.recipients or list(source.recipients)
    if mention.mode is None:
        mention.mode, mention.acled = source.mode, mention.acled or source.acled


# ---- casualty counts ---------------------------------------------------------------------------------


def add_tolls(
    found: list[Found], *, doc: Doc, tolls: dict[int, list[Casualty]], lexicon: EventLexicon, args: Arguments
) -> list[Found]:
    """Put each sentence's counts of dead and injured on its event: the nearest violent trigger,
    else the event its statement speaks of ("reported three deaths and condemned the strikes"),
    else the violent event of the sentence before (the count continues its report), else the
    article's first violent event. A verb that only says the counted were killed ("eight civilians
    were killed": no agent, no date of its own) is no event apart from the one its sentence or the
    sentence before reports: its counts go to that event, and it goes. Then victims become
    recipients where nothing else says whom an attack hit, and the mode and ACLED category follow.

    found (list[Found]): the article's mentions in the making.
    doc (Doc): the parsed article.
    tolls (dict[int, list[Casualty]]): `find_tolls` of each sentence, by its first token.
    lexicon (EventLexicon): modes and ACLED rules.
    args (Arguments): actor kinds, for the ACLED category.
    RETURNS (list[Found]): the mentions that stay, in text order.
    """
    material = [f for f in found if f.trigger and not f.trigger.verbal]
    folded: dict[int, Found] = {}
    for sent in doc.sents:
        counts = [c for c in tolls.get(sent.start, []) if c.kind != "casualties"]
        if not counts:
            continue
        bare = [
            f for f in material if f.trigger and f.trigger.root.sent.start == sent.start and _bare(f, counts)
        ]
        by_target: dict[int, tuple[Found, list[Casualty]]] = {}
        for count in counts:
            target = _toll_target(sent, count, found, material, bare, lexicon, counts=counts)
            if target is not None:
                by_target.setdefault(id(target), (target, []))[1].append(count)
        for target, own in by_target.values():
            home = _home(target, bare, own)
            for kind in ("killed", "injured"):
                of_kind = [c.toll for c in own if c.kind == kind]
                if of_kind and getattr(home.mention, kind) is None:
                    setattr(home.mention, kind, _sum(of_kind))
            home.victims += [c.victims for c in own if c.victims is not None]
            folded |= {id(b): target for b in _cues_of(bare, own) if b is not home and b is not target}
    for item in material:
        _finish_violence(item, doc=doc, lexicon=lexicon, args=args)
    for item in found:
        item.about = folded.get(id(item.about), item.about)
    return [f for f in found if id(f) not in folded]


def _home(target: Found, bare: Sequence[Found], counts: Sequence[Casualty]) -> Found:
    """Where a sentence's counts go: their event, unless an earlier report already gave it counts
    of that kind; then the sentence's own verb keeps them, as another report of the event."""
    if not any(getattr(target.mention, c.kind) is not None for c in counts) or target in bare:
        return target
    home = next((b for b in bare), target)
    if home is not target:
        _inherit(home.mention, target.mention)
    return home


def _cues_of(bare: Sequence[Found], counts: Sequence[Casualty]) -> list[Found]:
    """The bare toll verbs that are the cue of one of the counts."""
    spans = [c.toll.span for c in counts if c.toll.span]
    return [b for b in bare if b.trigger and any(s <= b.trigger.root.idx < e for s, e in spans)]


def _bare(item: Found, counts: Sequence[Casualty]) -> bool:
    """Whether a violent trigger only says that counted people were killed or hurt: the cue of a
    count ("at least 27 people had been killed"), with no agent, no date and no actor of its own."""
    trigger = item.trigger
    if trigger is None or not _violent(item) or item.mention.actors:
        return False
    root = trigger.root
    spans = [c.toll.span for c in counts if c.toll.span]
    if not any(start <= root.idx < end for start, end in spans) or item.mention.date.precision != "none":
        return False
    agents = [c for c in root.children if c.dep_ in ("nsubj", "agent")]
    return all(any(start <= a.idx < end for start, end in spans) for a in agents)


def _toll_target(
    sent: Span,
    count: Casualty,
    found: Sequence[Found],
    material: Sequence[Found],
    bare: Sequence[Found],
    lexicon: EventLexicon,
    *,
    counts: Sequence[Casualty],
) -> Found | None:
    """The event a count belongs to: the nearest violent trigger of its sentence ("killed 30
    militants ... after an attack left 12 soldiers dead") that is not a bare toll verb, not the
    verb of another count ("12 soldiers were killed and the army killed 30 attackers") and not told
    of the victims ("two paramedics whose ambulance came under fire"), else the event the
    sentence's statement speaks of, else the main violent event of the sentence before, else a
    bare toll verb of the sentence, else the article's first violent event."""
    here = [
        f
        for f in material
        if f.trigger and f.trigger.root.sent.start == sent.start and not _of_victims(f.trigger.root, count)
    ]
    # a bare verb's count skips the verbs of other counts: "12 soldiers were killed and the army
    # killed 30 attackers" (but "killed 25 fighters and injured five": one event, one verb)
    own = count.toll.span or (0, 0)
    spans = [c.toll.span for c in counts if c is not count and c.toll.span]
    if not any(f.trigger and own[0] <= f.trigger.root.idx < own[1] for f in bare):
        spans = []
    others = [
        f
        for f in here
        if f not in bare and not any(a <= f.trigger.root.idx < b for a, b in spans if f.trigger)
    ]
    if others:
        at = count.toll.span[0] if count.toll.span else sent.start_char
        return min(others, key=lambda f: abs(f.mention.span[0] - at))
    about = [f.about for f in found if f.about and f.trigger and f.trigger.root.sent.start == sent.start]
    if about:
        return about[0]
    before = [f for f in material if f.trigger and f.trigger.root.sent.end == sent.start]
    main = [f for f in before if f.trigger and frame(f.trigger.root, lexicon) is None]
    # a bare toll verb continues only a violent event ("clashes ... Dozens were killed")
    prior = [f for f in main or before if not bare or (_violent(f) and _same_place(f, bare[0]))]
    if prior or bare:
        return (prior or bare)[0]
    first = [f for f in material if _violent(f) and f.mention.modality not in IRREALIS]
    return next((f for f in first if f.trigger and f.trigger.root.i < sent.start), None)


def _violent(item: Found) -> bool:
    return item.trigger is not None and item.trigger.type in VIOLENT


def _of_victims(root: Token, count: Casualty) -> bool:
    """Whether a trigger sits in a relative clause about the counted victims ("including two
    paramedics whose ambulance came under fire")."""
    spans = [s for s in (count.toll.span, count.victims.span if count.victims else None) if s]
    for token in ancestors(root):
        if token.dep_ == "relcl" and any(start <= token.head.idx < end for start, end in spans):
            return True
    return False


def _same_place(event: Found, bare: Found) -> bool:
    """Whether a bare toll verb may continue the event before it: it names no other place."""
    here, there = bare.mention.location, event.mention.location
    return here is None or there is None or here.place == there.place


def _sum(tolls: Sequence[Toll]) -> Toll:
    """Several counts of one kind in one sentence ("3 soldiers and 2 civilians were killed")."""
    if len(tolls) == 1:
        return tolls[0]

    def total(values: Iterable[int | None]) -> int | None:
        values = list(values)
        return None if None in values else sum(v for v in values if v is not None)

    text = "; ".join(t.text for t in tolls if t.text)
    return Toll(
        total(t.low for t in tolls),
        total(t.high for t in tolls),
        total(t.best for t in tolls),
        text,
        tolls[0].span,
    )


def _finish_violence(item: Found, *, doc: Doc, lexicon: EventLexicon, args: Arguments) -> None:
    """Victims become recipients when nothing else says whom an attack hit (a fight's victims are
    no side of it: "fighting between X and Y has killed thousands"); then the mode and the ACLED
    category that depend on them."""
    mention, trigger = item.mention, item.trigger
    if trigger is None or trigger.type not in VIOLENT:
        return
    if not mention.recipients and item.victims and trigger.type not in lexicon.symmetric:
        mention.recipients = [_victim_ref(v, doc) for v in item.victims]
    mode, acled = _mode(trigger, lexicon)
    if mode and (mention.mode is None or mention.mode == trigger.kind.mode):
        mention.mode = mode
        mention.acled = Acled(*acled) if acled else mention.acled
    if mention.acled is None and (trigger.kind.by_target or trigger.kind.acled is None):
        target = _acled_by_target(mention.recipients, item.victims, lexicon=lexicon, args=args)
        mention.acled = Acled(*target) if target else None


def _victim_ref(victims: ActorRef, doc: Doc) -> ActorRef:
    """ "at least 12 civilians" -> "civilians": the count is not part of who they were."""
    words = doc.char_span(*victims.span, alignment_mode="expand") if victims.span else None
    kept = bare_name(words) if words is not None else None
    if not kept:
        return victims
    return ActorRef(kept.text, victims.actor, (kept.start_char, kept.end_char))


def _mode(trigger: Trigger, lexicon: EventLexicon) -> tuple[str | None, tuple[str, str] | None]:
    """The mode the words around a violent trigger tell ("drone attack", "gunmen stormed")."""
    if trigger.kind.mode is not None and trigger.kind.mode not in ("firearms",):
        return None, None
    words = {t.lower_ for root in trigger.roots for t in [*root.children, root] if t.dep_ != "prep"}
    # who did it ("gunmen stormed") and with what ("with rockets", "in an air operation")
    words |= {
        t.lower_ for root in trigger.roots for c in root.children if c.dep_ == "nsubj" for t in c.subtree
    }
    words |= {
        t.lower_
        for root in trigger.roots
        for c in root.children
        if c.dep_ == "prep" and c.lower_ in ("with", "by", "in")
        for p in c.children
        if p.dep_ == "pobj"
        for t in [p, *p.children]
        if t.dep_ in ("pobj", "compound", "amod")
    }
    for mode, cues, acled in lexicon.modes:
        if words & cues:
            return mode, acled
    return None, None


def _acled_by_target(
    recipients: Sequence[ActorRef], victims: Sequence[ActorRef], *, lexicon: EventLexicon, args: Arguments
) -> tuple[str, str] | None:
    """The ACLED category an attack takes from whom it hit (armed men: a battle; civilians:
    violence against civilians)."""
    kinds = {args.kind_of(r) for r in recipients}
    words = {w.lower().strip(",.") for r in [*recipients, *victims] for w in r.text.split()}
    for rule_kinds, rule_words, acled in lexicon.acled_targets:
        if kinds & rule_kinds or words & rule_words:
            return acled
    return None
