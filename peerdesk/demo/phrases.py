"""The words in the demo: session notes, supervision notes and summaries, wellbeing checks,
agreed actions and safeguarding accounts. Written the way the group is asked to write: calm,
kind, and about roles ("one participant", "the volunteer"), never about named people."""

from peerdesk.models import ActivityKind, ConcernCategory

SESSION_NOTES: dict[ActivityKind, tuple[str, ...]] = {
    ActivityKind.GROUP: (
        "Good energy tonight; one participant shared a small win from the week and others "
        "offered encouragement.",
        "Quieter group. We used the check-in cards and finished with a grounding exercise.",
        "Two new participants joined; we went over the group agreement together.",
        "One participant found the topic hard and stepped out for a while; a co-facilitator "
        "checked in with them and they came back for the close.",
        "Talked about getting through the darker evenings; people swapped ideas that help.",
    ),
    ActivityKind.ONE_TO_ONE: (
        "One participant talked through a difficult week at work; we looked at what has helped "
        "before.",
        "A participant wanted to know about housing advice; signposted to the advice drop-in.",
        "A regular participant said they are sleeping better and wanted to share that.",
        "First visit for one participant; mostly listening, and they would like to come back.",
        "A participant was anxious about a benefits assessment; we wrote down their questions.",
    ),
    ActivityKind.PHONE_ONLINE: (
        "A caller wanted someone to listen after a hard day; the call ended with them calmer.",
        "A regular caller checked in and talked about plans for the weekend.",
        "One caller asked about the groups; sent the times by text as they asked.",
        "A caller was lonely since moving to the area; talked about the café sessions.",
    ),
    ActivityKind.WALK_AND_TALK: (
        "Walked the canal loop; one participant said being outside made it easier to talk.",
        "Rain held off. A participant who had been nervous about groups joined for the first time.",
        "Shorter route today because of the mud; good conversation at the café afterwards.",
    ),
}

DEBRIEF_CLOSING = (
    "Talked it through by phone the next day; the volunteer felt better for it.",
    "Met before the next shift; agreed to pair up for the next few sessions.",
    "Covered in the volunteer's next supervision.",
    "The volunteer said they were fine after a night's sleep; door left open.",
)

WELLBEING_CHECKS = (
    "Feeling settled and enjoying the shifts.",
    "Tired but OK; a busy month at work.",
    "A tough few weeks at home; glad of the space to talk.",
    "Good. Finding the phone line rewarding.",
    "A bit low this month; looking after themselves and keeping shifts light.",
    "Well, and looking forward to the facilitator training.",
)

SHARED_SUMMARIES = (
    "Reflected on recent shifts and what went well.",
    "Talked about boundaries with a regular participant; agreed an approach.",
    "Checked in on workload; happy with the current rota.",
    "Looked back over the first months and talked about next steps.",
)

GROUP_SUMMARIES = (
    "Group supervision: shared learning from a busy month on the phone line.",
    "Group supervision: practised ending conversations well.",
    "Group supervision: looked after ourselves through the winter months.",
    "Group supervision: talked about signposting and what is available locally.",
)

SUPERVISION_NOTES = (
    "The volunteer spoke about their own health this month; they are managing and know "
    "who to contact. Revisit next time.",
    "Some worry about a participant who has stopped coming; reassured them about what is "
    "and is not theirs to hold.",
    "Volunteering is going well; wants more responsibility. Talked about facilitator training.",
    "Found a recent session upsetting because it echoed their own experience. Agreed a "
    "lighter rota for a month.",
    "Balancing a new job with shifts; happy to drop to fortnightly for now.",
)

AGREED_ACTIONS = (
    "Book onto the next suicide awareness course",
    "Try the shorter Tuesday shift for a month",
    "Read the lone working guidance again before the next evening shift",
    "Shadow a group session before co-facilitating",
    "Send the coordinator dates for the summer holiday",
    "Look into the reflective practice workshop",
)

CONCERN_ACCOUNTS: dict[ConcernCategory, tuple[str, str]] = {
    ConcernCategory.RISK_TO_SELF: (
        "A participant said they had been having thoughts of ending their life.",
        "The volunteer stayed with them, made a safety plan together and they called the "
        "crisis line with the volunteer present.",
    ),
    ConcernCategory.RISK_TO_OTHERS: (
        "A participant spoke angrily about harming a neighbour during a dispute.",
        "The volunteer calmly ended the session and told the coordinator straight away.",
    ),
    ConcernCategory.ABUSE_OR_NEGLECT: (
        "A participant described being controlled financially by someone they live with.",
        "The volunteer listened, explained confidentiality and its limits, and passed it on "
        "to the coordinator the same day.",
    ),
    ConcernCategory.LONE_WORKING_INCIDENT: (
        "A volunteer on a lone-working shift did not check out on time and could not be "
        "reached for 40 minutes.",
        "The coordinator followed the lone working procedure; the volunteer was safe, their "
        "phone battery had run out.",
    ),
    ConcernCategory.NEAR_MISS: (
        "A participant's contact details were left on a sign-in sheet on the table.",
        "The sheet was shredded at the end of the session and the sign-in process changed.",
    ),
    ConcernCategory.OTHER: (
        "A participant arrived unwell and confused.",
        "The volunteer stayed with them and called NHS 111 with their agreement.",
    ),
}

CONCERN_ACTIONS = (
    "Check in with the volunteer who raised the concern",
    "Discuss with the host organisation's safeguarding lead",
    "Make a referral to adult social care, with the participant's agreement",
    "Review the procedure with all volunteers at the next team meeting",
    "Record the outcome and close",
)
