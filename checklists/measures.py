"""The measures that probes produce and checklist items may bind to.

This registry is the contract between `probes` (which measure) and `checklists` (which judge):
a binding to a name that is not here is a checklist error. Names are dotted paths into the
measure mapping a probe run returns (``silent_call.verdict`` reads ``measures["silent_call"]["verdict"]``
or the flat key ``"silent_call.verdict"``).
"""

from __future__ import annotations

from typing import Literal

MeasureType = Literal["number", "bool", "str", "list"]

# name -> (type, meaning)
MEASURES: dict[str, tuple[MeasureType, str]] = {
    # voice: answer (seed 002 §3.4 three rings; seed 004 Art. 4 connection status 接通)
    "outcome": ("str", "answered | busy | no_answer | failed | canceled"),
    "answered": ("bool", "the call was answered"),
    "answer_seconds": ("number", "seconds from ringing to answer"),
    "rings": ("number", "rings heard before answer at the configured ring cadence"),
    # voice: silent-call protocol (seed 001 §6.3.4; seed 002 情景2)
    "silent_call.verdict": (
        "str",
        "pass | fail under the checklist's protocol parameters; null when inconclusive",
    ),
    "silent_call.inconclusive": (
        "bool",
        "the probe stopped listening before the protocol could finish (no verdict)",
    ),
    "silent_call.closing": (
        "bool",
        "transcript: a closing phrase after the last prompt (null without transcript)",
    ),
    "silent_call.prompts_heard": ("number", "transcript lines with a greeting or prompt"),
    "silent_call.repetitions": ("number", "agent utterances detected"),
    "silent_call.final_wait_s": ("number", "recording end minus end of the last utterance"),
    "silent_call.reasons": (
        "list",
        "too_few_repetitions | pause_too_short | pause_too_long | hung_up_too_soon "
        "| listening_too_short",
    ),
    # voice: scripted greeting (seed 001 §6.3, §6.6.1, §6.9; seed 002)
    "greeting.verdict": ("str", "pass | fail"),
    "greeting.salutation": ("bool", "您好/你好 or a time-of-day/holiday salutation"),
    "greeting.company": ("bool", "company name present (null when none configured)"),
    "greeting.offer_of_help": ("bool", "请问有什么可以帮您 or a close variant"),
    "greeting.time_of_day": ("bool", "早上好 before 12:00 (null when not required)"),
    "greeting.holiday": ("bool", "holiday greeting on a public holiday (null when not required)"),
    "greeting.apology_for_wait": (
        "bool",
        "apology/thanks after a late answer (null when not required)",
    ),
    "greeting.forbidden_phrases": ("list", "forbidden phrases heard"),
    # chat (seed 000 scorecard; seed 001 part 3 §1.2)
    "first_response_seconds": (
        "number",
        "seconds from the customer's first message (or chat open) to the first agent message",
    ),
    "max_reply_seconds": ("number", "longest agent reply delay after a customer message"),
    "unapologised_long_waits": ("number", "waits over 2 minutes not followed by an apology/thanks"),
    "forbidden_phrases": ("list", "forbidden phrases the agent used"),
    "taboos": ("list", "taboo behaviours detected"),
    "greeting_ok": ("bool", "the opening greeting fits the situation"),
    "courtesy_ok": ("bool", "courtesy words used"),
    "closing_ok": ("bool", "a closing phrase was given"),
    "last_message_from": ("str", "agent | customer"),
    # sms (probes/channels/sms): a query text to a service number, and the reply
    "sms.delivered": ("bool", "the message reached the service number (or it replied)"),
    "sms.reply_received": ("bool", "the service number replied"),
    "sms.reply_seconds": ("number", "seconds from our message being sent to the first reply"),
    "sms.reply.balance": ("bool", "the reply states a balance (null without a reply)"),
    "sms.reply.operator_named": (
        "bool",
        "the reply names the operator (null without a reply or a configured company name)",
    ),
    "sms.reply.marketing": ("bool", "the reply carries marketing (null without a reply)"),
    "sms.reply.opt_out": ("bool", "the reply carries 回复TD退订 (null without a reply)"),
}


def is_known(name: str) -> bool:
    return name in MEASURES
