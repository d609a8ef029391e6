"""What every call recogniser shares: a Presidio recogniser with nothing to load, and the
Presidio result for a stretch of tokens. The recognisers beside this module (`context`,
`medical`, `address`, `name_triggers`) each find one kind of thing in call speech; all return
Presidio `RecognizerResult`s so the analyser merges them with the stock recognisers'."""

from __future__ import annotations

from presidio_analyzer import EntityRecognizer, RecognizerResult


class CallRecognizer(EntityRecognizer):
    """A recogniser with nothing to load; `ENTITIES` and `NAME` say what it finds."""

    ENTITIES: list[str] = []
    NAME = ""

    def __init__(self):
        super().__init__(supported_entities=self.ENTITIES, name=self.NAME)

    def load(self) -> None:
        pass


def token_result(entity: str, tokens, first: int, last: int, score: float, why: str) -> RecognizerResult:
    return RecognizerResult(entity, tokens[first].start, tokens[last - 1].end, score,
                            recognition_metadata={"recognizer_name": why})
