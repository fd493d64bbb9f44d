"""Coaching: turn findings into cues a person can act on, one at a time."""

from formcoach.coaching.policy import CoachingEvent, CueText, coach, cue_texts, top_cues

__all__ = ["CoachingEvent", "CueText", "coach", "cue_texts", "top_cues"]
