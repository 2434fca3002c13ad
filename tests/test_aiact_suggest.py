"""The classification suggestion: every Art. 5 practice and every Annex III area with a positive
and a hard negative (words that look alike but are not that use), the order of the steps, the
evidence, and the rules file itself."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from agentaudit.aiact.models import AnnexIII, RiskClass
from agentaudit.aiact.suggest import default_rules, normalise, suggest
from agentaudit.models import Decision, Event, RiskLevel

# practice key -> (a description that is that practice, a hard negative)
PRACTICES = {
    "manipulation": (
        "Shopping assistant that uses subliminal messaging and dark patterns to manipulate users"
        " into buying add-ons they do not want",
        "Reviews our checkout pages to detect dark patterns and flag manipulative wording",
    ),
    "exploitation_of_vulnerabilities": (
        "Sales agent that exploits the loneliness of elderly customers and people in debt to"
        " sell high-interest loans",
        "Penetration testing agent that finds and exploits vulnerabilities in our web servers",
    ),
    "social_scoring": (
        "Computes a social score for every citizen from their social behaviour and lowers the"
        " benefits of those with low scores",
        "Schedules social media posts and scores support tickets by urgency",
    ),
    "criminal_risk_profiling": (
        "Predicts the likelihood of committing a crime from a person's personality traits and"
        " family background",
        "Summarises published crime statistics per region for a newspaper article",
    ),
    "facial_image_scraping": (
        "Crawler that scrapes facial images from social networks and CCTV footage to build a"
        " facial recognition database",
        "Crawler that scrapes product photos and blurs faces before publishing them",
    ),
    "emotion_recognition_work_education": (
        "Detects emotions of call centre agents from their webcam while at work",
        "Sentiment analysis of product reviews written by customers",
    ),
    "biometric_categorisation": (
        "Infers the sexual orientation and religion of visitors from their facial features in"
        " biometric photos",
        "Estimates a customer's age from a selfie for age verification at checkout",
    ),
    "realtime_remote_biometric_identification": (
        "Real-time facial recognition of people in publicly accessible spaces for the police",
        "Facial recognition that unlocks an employee's own laptop",
    ),
}

# Annex III area -> (a description in that area, a hard negative)
AREAS = {
    AnnexIII.BIOMETRIC: (
        "Remote biometric identification of visitors with face recognition at the entrance",
        "Face unlock so users can unlock their phone (biometric verification only)",
    ),
    AnnexIII.CRITICAL_INFRASTRUCTURE: (
        "Controls load on the electricity grid and the district heating supply (SCADA)",
        "Balances web traffic across our load balancers and monitors network traffic",
    ),
    AnnexIII.EDUCATION: (
        "Grades exams and decides university admissions from student assessments",
        "Generates example code and training data for our machine learning models",
    ),
    AnnexIII.EMPLOYMENT: (
        "Screens CVs of job applicants and ranks candidates for our recruiters",
        "Builds release candidates and resumes the CI pipeline after a failure",
    ),
    AnnexIII.ESSENTIAL_SERVICES: (
        "Assesses the creditworthiness of loan applications and sets credit scores",
        "Bug triage: triage issues and tickets from GitHub for the engineering team",
    ),
    AnnexIII.LAW_ENFORCEMENT: (
        "Helps the police assess the reliability of evidence in criminal investigations",
        "Policy enforcement for our API gateway rate limits",
    ),
    AnnexIII.MIGRATION: (
        "Examines asylum and visa applications and residence permits at border control",
        "Runs database migrations and schema migrations on deploy",
    ),
    AnnexIII.ADMINISTRATION_OF_JUSTICE: (
        "Assists judges in researching case law and applying the law to the facts before a"
        " court ruling",
        "LLM-as-a-judge harness that grades model answers in our eval suite",
    ),
    AnnexIII.DEMOCRATIC_PROCESSES: (
        "Writes targeted political ads to persuade swing voters before the election",
        "Monitors the Raft leader election and election timeout of our etcd cluster",
    ),
}


def _desc(text: str):
    return suggest({"description": text}, [])


@pytest.mark.parametrize("practice", sorted(PRACTICES))
def test_every_prohibited_practice_is_found(practice: str) -> None:
    s = _desc(PRACTICES[practice][0])
    assert s.suggested_classification == RiskClass.PROHIBITED, s.steps
    assert s.suggested_practice == practice
    assert s.steps[0].answer.startswith("yes: Art. 5(1)(")
    assert s.evidence["prohibited_scores"][practice] >= 4.5


@pytest.mark.parametrize("practice", sorted(PRACTICES))
def test_every_prohibited_practice_has_a_hard_negative(practice: str) -> None:
    s = _desc(PRACTICES[practice][1])
    assert s.suggested_classification != RiskClass.PROHIBITED, s.steps
    assert s.evidence["prohibited_scores"].get(practice, 0) < 4.5


@pytest.mark.parametrize("area", list(AnnexIII), ids=lambda a: a.value)
def test_every_annex_iii_area_is_found(area: AnnexIII) -> None:
    s = _desc(AREAS[area][0])
    assert s.suggested_classification == RiskClass.HIGH, s.steps
    assert s.suggested_category == area
    assert s.evidence["category_scores"][area.value] >= 3.0


@pytest.mark.parametrize("area", list(AnnexIII), ids=lambda a: a.value)
def test_every_annex_iii_area_has_a_hard_negative(area: AnnexIII) -> None:
    s = _desc(AREAS[area][1])
    assert s.suggested_classification not in (RiskClass.HIGH, RiskClass.PROHIBITED), s.steps
    assert s.evidence["category_scores"].get(area.value, 0) < 3.0


def test_the_tests_cover_every_practice_and_area_of_the_rules() -> None:
    rules = default_rules()
    assert {r.key for r in rules.prohibited} == set(PRACTICES)
    assert len(rules.prohibited) == 8  # Art. 5(1)(a) to (h)
    assert {r.reference for r in rules.prohibited} == {f"Art. 5(1)({x})" for x in "abcdefgh"}
    assert {r.key for r in rules.areas} == {a.value for a in AnnexIII}
    points = {r.reference.removeprefix("Annex III point ")[0] for r in rules.areas}
    assert points == set("12345678")  # all eight points, 8 with (a) justice and (b) democracy


def test_the_evidence_names_the_words_where_they_were_found_and_how_much() -> None:
    s = suggest(
        {"name": "CV ranker", "description": "Screens CVs of job applicants", "vendor": "HireCo"},
        [],
    )
    matches = {m["phrase"]: m for m in s.evidence["matches"]["employment"]}
    assert matches["job applicant*"]["metadata_count"] == 1
    assert matches["job applicant*"]["metadata_fields"] == ["description"]
    assert matches["job applicant*"]["score"] == pytest.approx(3.0 * 3**0.5, abs=0.01)
    assert "job applicant*" in s.steps[1].because and "description" in s.steps[1].because
    # upstream's keys are all there
    for key in (
        "total_events",
        "by_risk_level",
        "by_action",
        "pii_events",
        "pii_ratio",
        "category_scores",
        "category_matches",
        "category_confidence_threshold",
        "prohibited_scores",
        "prohibited_matches",
        "prohibited_confidence_threshold",
    ):
        assert key in s.evidence


def _event(i: int, action: str, data: dict, pii: list[str] | None = None) -> Event:
    return Event(
        id=f"ev{i:03d}",
        agent_id="a",
        action=action,
        data=data,
        risk_level=RiskLevel.MEDIUM,
        pii_detected=bool(pii),
        pii_fields=pii or [],
        created_at=datetime.now(UTC),
        stored=True,
        decision=Decision.ALLOW,
    )


def test_events_alone_can_suggest_an_area_and_are_named_as_evidence() -> None:
    events = [
        _event(i, "score_loan_application", {"applicant": "x", "note": "creditworthiness check"})
        for i in range(4)
    ]
    s = suggest({"name": "Back-office helper"}, events)
    assert s.suggested_classification == RiskClass.HIGH
    assert s.suggested_category == AnnexIII.ESSENTIAL_SERVICES
    found = {m["phrase"]: m for m in s.evidence["matches"]["essential_services"]}
    assert found["creditworthiness"]["event_count"] == 4
    assert found["creditworthiness"]["example_event_ids"] == ["ev000", "ev001", "ev002", "ev003"]
    assert "in 4 events" in s.steps[1].because


def test_words_of_one_practice_in_different_events_do_not_add_up() -> None:
    """(b) needs exploiting *and* vulnerable people in the same document."""
    events = [
        _event(1, "exploit_scan", {"target": "nginx"}),
        _event(2, "greet", {"to": "children"}),
    ]
    s = suggest({"name": "Helper"}, events)
    assert s.suggested_classification != RiskClass.PROHIBITED
    assert "Art. 5(1)(b)" in s.steps[0].because  # says what was found, and what was missing


def test_personal_data_in_many_events_or_a_chatbot_is_limited_and_nothing_at_all_unclassified() -> (
    None
):
    events = [_event(i, "lookup", {"q": "order"}, ["email"] if i < 3 else None) for i in range(10)]
    s = suggest({"name": "Order lookup"}, events)
    assert s.suggested_classification == RiskClass.LIMITED
    assert s.evidence["pii_ratio"] == 0.3 and s.evidence["pii_types"] == {"email": 3}
    assert _desc("Chatbot that answers customers").suggested_classification == RiskClass.LIMITED
    plain = _desc("Summarises our internal release notes")
    assert plain.suggested_classification == RiskClass.MINIMAL
    assert suggest({}, []).suggested_classification == RiskClass.UNCLASSIFIED


def test_prohibited_comes_before_high() -> None:
    s = _desc(
        "Recruitment tool: detects emotions of job candidates in job interviews and ranks"
        " candidates"
    )
    assert s.suggested_classification == RiskClass.PROHIBITED
    assert s.suggested_practice == "emotion_recognition_work_education"
    assert s.evidence["category_scores"]["employment"] >= 3.0  # high too, but Art. 5 wins


def test_normal_form_reads_identifiers_and_accents() -> None:
    assert normalise("CvScreening_bot-v2") == " cv screening bot v2 "
    assert "resume" in normalise("Résumé")
    assert _desc("ResumeScreener for JobApplicants").suggested_category == AnnexIII.EMPLOYMENT
