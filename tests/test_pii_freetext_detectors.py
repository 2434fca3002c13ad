"""The free-text detectors one by one: published check-digit examples, cues in several languages,
and look-alikes that must stay clean (order numbers, versions, timestamps, tracking codes)."""

from __future__ import annotations

from pathlib import Path

import pytest

from agentaudit.classifier import _pii_ids as ids
from agentaudit.classifier._freetext import find_pii
from agentaudit.classifier._pii_cues import CuesError, load_cues


def types(text: str, region: str | None = None) -> list[tuple[str, str]]:
    return [(f.type, f.value) for f in find_pii(text, region)]


# ----------------------------------------------------------------------------- check digits


@pytest.mark.parametrize(
    ("check", "value"),
    [
        (ids.es_dni_ok, "12345678Z"),
        (ids.es_dni_ok, "X1234567L"),
        (ids.pl_pesel_ok, "44051401359"),
        (ids.nl_bsn_ok, "111222333"),
        (ids.it_cf_ok, "RSSMRA85T10A562S"),
        (ids.de_steuer_id_ok, "86095742719"),
        (ids.pt_nif_ok, "123456789"),
        (ids.uk_nino_ok, "AB123456C"),
        (ids.fi_hetu_ok, "131052-308T"),
        (ids.se_personnummer_ok, "8112189876"),
        (ids.ee_lt_id_ok, "37605030299"),
        (ids.fr_nir_ok, "175091730037964"),
        (ids.iban_ok, "DE89370400440532013000"),
        (ids.iban_ok, "GB82WEST12345698765432"),
    ],
)
def test_published_examples_pass(check: object, value: str) -> None:
    assert callable(check) and check(value)


@pytest.mark.parametrize(
    ("check", "value"),
    [
        (ids.es_dni_ok, "12345678A"),
        (ids.pl_pesel_ok, "44051401358"),
        (ids.nl_bsn_ok, "111222334"),
        (ids.it_cf_ok, "RSSMRA85T10A562T"),
        (ids.de_steuer_id_ok, "86095742718"),
        (ids.de_steuer_id_ok, "12345678903"),  # no repeated digit
        (ids.pt_nif_ok, "123456788"),
        (ids.uk_nino_ok, "QQ123456C"),  # Q never starts a NINO
        (ids.fi_hetu_ok, "131052-308U"),
        (ids.iban_ok, "DE89370400440532013001"),
        (ids.iban_ok, "DE8937040044053201300"),  # one character short for DE
    ],
)
def test_one_wrong_character_fails(check: object, value: str) -> None:
    assert callable(check) and not check(value)


def test_cards_need_luhn_and_a_network_unless_a_card_cue_is_right_there() -> None:
    assert ids.card_ok("4539148803436467", cue=False)
    assert not ids.card_ok("4539148803436468", cue=False)  # Luhn
    assert not ids.card_ok("4111111111111111", cue=False)  # two distinct digits: a dummy
    assert not ids.card_ok("9111111111111116", cue=False)  # no network starts with 9
    assert ids.card_ok("060448499479", cue=True, cue_adjacent=True)  # "card no 0604…"
    assert not ids.card_ok("060448499479", cue=True)


# ----------------------------------------------------------------------------- phones


@pytest.mark.parametrize(
    "text",
    [
        "Call me on +44 20 7946 0958 after lunch.",
        "Tel.: 030 12345678",
        "Bitte rufen Sie mich unter 0171 2345678 zurück.",
        "Merci de me rappeler au 06 12 34 56 78.",
        "Por favor, llámeme al 612 34 56 78.",
        "Mi richiami al numero 347 123 4567, grazie.",
        "Bel me terug op 06-12345678.",
        "Proszę oddzwonić pod numer 512 345 678.",
        "Por favor ligue-me para o 912 345 678.",
        "Mobile: (212) 555-0147 x204",
        "Name: Brad Key\\nPhone: 041 541 67 61",  # escaped newline inside a JSON string
        "781-618-4959 office",
        "Hi, this is John Smith, my number is 07911 123456",
        "Ruf mich an: 0151 23456789",
        "Mon numéro : 06 12 34 56 78",
        # E.164 with no cue, 13 digits that pass Luhn and start as a Visa does: still a phone
        "+4915112345678",
        "delivered to +4915112345678 at 10:02",
    ],
)
def test_phones_with_a_cue_or_a_country_code(text: str) -> None:
    assert [t for t, _ in types(text)] == ["phone"], types(text)


@pytest.mark.parametrize(
    "text",
    [
        "Order 0612345678 shipped on Tuesday.",
        "Bestellnummer 0612345678 wurde versandt.",
        "Reference number 4155552671, please quote it.",
        "Event logged at 1700000000 (unix time).",
        "The batch ran from 12.03.2024 to today.",
        "Deployed build 10.4.3.2211 to staging.",
        "DHL shipment 4155552671 is out for delivery.",
        "Tracking number 1Z999AA10123456784 (UPS).",
        "Request id 3f2b8c1e-9a4d-4e7b-a1c2-0d9e8f7a6b5c failed.",
    ],
)
def test_numbers_that_are_not_phones(text: str) -> None:
    assert types(text) == []


def test_the_organisation_region_reads_national_numbers_without_a_cue() -> None:
    assert types("Ansprechpartner 030 12345678") == []
    assert types("Ansprechpartner 030 12345678", region="DE") == [("phone", "030 12345678")]


# ----------------------------------------------------------------------------- other identifiers


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("card 4539 1488 0343 6467 exp 12/27", ("credit_card", "4539 1488 0343 6467")),
        ("Numéro de sécurité sociale de Lucy de Monnier : 154020608844506",
         ("national_id", "154020608844506")),
        ("Het BSN van Nora van der Horst is 111222333.", ("national_id", "111222333")),
        ("PESEL pana Wódka: 44051401359", ("national_id", "44051401359")),
        ("Meine steuerliche Identifikationsnummer lautet 86095742719.", ("national_id", "86095742719")),
        ("O NIF de Luís Alves é 123456789.", ("national_id", "123456789")),
        ("Mi DNI es 12345678Z", ("national_id", "12345678Z")),
        ("Codice fiscale RSSMRA85T10A562S", ("national_id", "RSSMRA85T10A562S")),
        ("NINO: AB 12 34 56 C (Gareth Lowe)", ("national_id", "AB 12 34 56 C")),
        ("Sozialversicherungsnummer 12 150380 M 012", ("national_id", "12 150380 M 012")),
        ("Passport number X44307874 expires 2030", ("passport", "X44307874")),
        ("His social security number is 243-14-8938", ("ssn", "243-14-8938")),
        ("Reisepassnummer C01X00T47, ausgestellt in Köln.", ("passport", "C01X00T47")),
        ("Numero patente di guida: MY2139867R", ("drivers_license", "MY2139867R")),
        ("Prawo jazdy nr 12345/67/8901", ("drivers_license", "12345/67/8901")),
        ("Überweisung auf IBAN DE89 3704 0044 0532 0130 00 bitte", ("iban", "DE89 3704 0044 0532 0130 00")),
        ("Failed logins from 8.8.4.4 and fe80::1", ("ip_address", "8.8.4.4")),
        ("Connexions depuis 2a02:26f0:fd::5c40:1b8", ("ip_address", "2a02:26f0:fd::5c40:1b8")),
        ("Please tell me your date of birth. It's 5/26/1980", ("date_of_birth", "5/26/1980")),
        ("Catrin Stey ist am 16.07.1950 geboren.", ("date_of_birth", "16.07.1950")),
        ("Lucie, née le 3 mars 1978 à Lyon.", ("date_of_birth", "3 mars 1978")),
        ("Fecha de nacimiento: 12 de marzo de 1985", ("date_of_birth", "12 de marzo de 1985")),
        ("--member=user:eve.m@gmail.com --role=roles/owner", ("email", "eve.m@gmail.com")),
        ("Write to mailto:k.berg@posteo.de today", ("email", "k.berg@posteo.de")),
        ("Ticket 4411: the user at 81.2.69.160 asked for erasure", ("ip_address", "81.2.69.160")),
        ("Order placed from 81.2.69.160 at noon", ("ip_address", "81.2.69.160")),
    ],
)  # fmt: skip
def test_identifiers(text: str, expected: tuple[str, str]) -> None:
    assert types(text) == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "Order 4532015112830366 was refunded.",  # Luhn-valid, but an order number
        "Ping 10.0.0.1 from the bastion; gateway 192.168.1.254.",
        "Upgrade to version 1.2.3.4 before Friday.",
        "Meeting on 14.03.2025 in room 4.12.",
        "Commit 9fceb02d0ae598e95dc970b74767f19372d61af8 fixed it.",
        "Barcode 4006381333931 scanned at the till.",
        "Passport office opening hours changed on 12/5.",
        "Born in the USA is a 1984 album.",
        "url: postgres://app_user:Xk92mPq7Lr@db.internal:5432/orders",
        "fetch https://build:Tq81zzPw@mirror.example.com/pkg.tgz",  # a URL's credentials
        "--member=serviceAccount:ci@acme-dev.iam.gserviceaccount.com",  # a machine's address
        "Reply-To: noreply@shop.example.com",
        "Firmware 2.4.1.0 fixed the fan curve.",
    ],
)
def test_look_alikes_stay_clean(text: str) -> None:
    assert types(text) == []


# ----------------------------------------------------------------------------- Art. 9


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("Anna Schmidt hat uns mitgeteilt, dass sie an Diabetes erkrankt ist.", "health"),
        ("Patient reports chest pain; diagnosed with atrial fibrillation.", "health"),
        ("Mr Garry Hunter is a member of Unite the union.", "trade_union"),
        ("Rosa Scheel engagiert sich als Mitglied der Grünen im Stadtrat.", "political_opinion"),
        ("Noa Ariza nos contó que es bisexual.", "sexual_orientation"),
        ("Il paziente Luca Bianchi è sieropositivo.", "health"),
        ("Mijn collega is katholiek en vraagt vrij met Pasen.", "religion"),
        ("The form lists Samantha Wade's ethnic origin as Bangladeshi.", "ethnicity"),
    ],
)
def test_special_categories_about_a_person(text: str, category: str) -> None:
    assert category in {t for t, _ in types(text)}


@pytest.mark.parametrize(
    "text",
    [
        "Unsere Broschüre zu Diabetes wurde aktualisiert.",
        "Trade unions have called a national strike.",
        "La campagna contro il cancro parte lunedì.",
        "Title VII protects against discrimination on the basis of race, sex, or religion.",
        "From the film (also features Christian Nobbs).",
    ],
)
def test_special_category_words_about_nobody(text: str) -> None:
    assert types(text) == []


# ----------------------------------------------------------------------------- the contract


def test_findings_are_sorted_located_and_disjoint() -> None:
    text = (
        "Kundin Anna Weber, Tel.: +49 30 901820, anna.weber@example.de, IBAN DE89370400440532013000, "
        "Karte 4539148803436467, geboren am 02.05.1981, ist an Diabetes erkrankt."
    )
    found = find_pii(text)
    assert list(dict.fromkeys(f.type for f in found)) == [
        "phone", "email", "iban", "credit_card", "date_of_birth", "health",
    ]  # fmt: skip
    assert ("health", "Diabetes") in [(f.type, f.value) for f in found]
    for f in found:
        assert text[f.start : f.end] == f.value
    assert all(a.end <= b.start for a, b in zip(found, found[1:], strict=False))


def test_escaped_newlines_separate_values() -> None:
    """JSON written into a string: "\\n" is a line break, not a letter glued to the value."""
    text = r"E-mail:\nanna@example.de\nIBAN:\nDE89370400440532013000\nCF:\nRSSMRA85T10A562S"
    assert types(text) == [
        ("email", "anna@example.de"),
        ("iban", "DE89370400440532013000"),
        ("national_id", "RSSMRA85T10A562S"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "1 " * 20_000,
        "+" * 10_000 + "1" * 10_000,
        "1-" * 20_000,
        "12.34." * 8_000,
        "a:" * 20_000,
        "phone " * 5_000 + "0" * 5_000,
        "born 1/1/" * 5_000,
        "Name Name " * 5_000,
        "passport " * 5_000,
        "\\n" * 20_000,
    ],
)
def test_adversarial_inputs_end(text: str) -> None:
    """Repetitions of digits, separators and cue words: every pattern is linear, so these end
    (their cost per KiB is measured by benchmarks/pii_freetext.py, not asserted here)."""
    for f in find_pii(text):
        assert text[f.start : f.end] == f.value


def test_a_bad_cue_file_is_named(tmp_path: Path) -> None:
    bad = tmp_path / "cues.yaml"
    good = Path(__file__).resolve().parents[1] / "core/agentaudit/classifier/rules/pii_cues.yaml"
    bad.write_text(good.read_text(encoding="utf-8").replace('"no", na, em]', "no, na, em]"))
    with pytest.raises(
        CuesError, match=r"cues.yaml: not_names\[\d+\]: expected a non-empty string"
    ):
        load_cues(bad)
    bad.write_text("languages: {de: XX}\n")
    with pytest.raises(CuesError, match="missing key"):
        load_cues(bad)


# ----------------------------------------------------------------------------- real payloads

# Found in a dev-set value the labels call clean, and why find_pii alone cannot tell.
KNOWN_DEV_SET_EXTRAS = {
    # a version in a field named doc_version: "4.2.10.1" is a public IPv4 address by its shape;
    # the engine's field-name evidence settles it, find_pii sees the value only
    ("dev-009", "ip_address"),
}


def test_agent_payloads_get_no_type_their_labels_lack() -> None:
    """Precision on real tool calls (the classifier's labelled dev and extra sets): every type
    find_pii reports in an event's strings is one the event's labels list."""
    import json

    from agentaudit.classifier._freetext import STRUCTURED_TYPES
    from agentaudit.models import SPECIAL_CATEGORY_TYPES

    def strings(obj: object) -> list[str]:
        if isinstance(obj, str):
            return [obj]
        if isinstance(obj, dict):
            return [s for v in obj.values() for s in strings(v)]
        if isinstance(obj, list):
            return [s for v in obj for s in strings(v)]
        return []

    ours = set(STRUCTURED_TYPES) | set(SPECIAL_CATEGORY_TYPES)
    data = Path(__file__).resolve().parent / "data"
    extras = set()
    checked = 0
    for name in ("classifier_dev.jsonl", "classifier_extra.jsonl"):
        for line in (data / name).read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            labelled = set(row["expect"].get("pii_fields", []))
            for s in strings([row.get("data"), row.get("reasoning")]):
                checked += 1
                for f in find_pii(s):
                    if f.type in ours and f.type not in labelled:
                        extras.add((row["id"], f.type))
    assert checked > 300
    assert extras == KNOWN_DEV_SET_EXTRAS


def test_policy_fields_for_free_text() -> None:
    from pydantic import ValidationError

    from agentaudit.models import Policy

    p = Policy()
    assert p.pii_ner is False and p.pii_region is None  # off by default: nothing changes
    assert Policy(pii_region=" de ").pii_region == "DE"
    with pytest.raises(ValidationError, match="'XX' is not a phone region"):
        Policy(pii_region="XX")
    assert Policy.model_validate({"pii_ner": True}).pii_ner is True


@pytest.mark.parametrize(
    "text",
    [
        "On 2022-06-18 18:24:50.374660, the government began the process.",
        "Please return to 049 2189 Market St Suite 734 Johannesburg.",
        "Billing address: 0681 213 Endeavour Lane Apt. 415",
        "Mrs. Ashley Juric Apt. 086 14790 66 Winchester Rd",
    ],
)
def test_with_a_region_timestamps_and_house_numbers_are_not_phones(text: str) -> None:
    assert types(text, region="DE") == []
