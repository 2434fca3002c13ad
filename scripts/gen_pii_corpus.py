"""Generate the labelled free-text PII corpus (tests/data/pii_freetext*.jsonl).

Run in a venv of its own that has presidio-evaluator (it brings spaCy, pandas, Faker):

    python3 -m venv /work/venvs/presidio && /work/venvs/presidio/bin/pip install presidio-evaluator==0.3.2
    /work/venvs/presidio/bin/python scripts/gen_pii_corpus.py --seed 1 --out tests/data/pii_freetext.jsonl
    /work/venvs/presidio/bin/python scripts/gen_pii_corpus.py --seed 2 --out tests/data/pii_freetext_seed2.jsonl

The tests read only the committed files; this script is how they were made. Three parts, each
line tagged with its `source`:

- `presidio`: sentences from presidio-evaluator's `PresidioSentenceFaker` (its English templates,
  its fake-person records, `lower_case_ratio=0.05`), with the spans it reports mapped to
  DESIGN.md's vocabulary (table `PRESIDIO_TYPES` below; `None` = not personal data here, so the
  text is kept but the span is not a label).
- `templates`: our own sentences in de, fr, es, it, nl, pl, pt and en (national-format phones,
  national ids, dates of birth, passports, driver's licences, cards, Art. 9 special categories),
  filled with Faker's locale values, or, where Faker has none or an invalid one, values built
  here from each identifier's published rule (Steuer-ID, Portuguese NIF, UK NINO, passports).
- `negatives`: hard negatives: order numbers, invoice and ticket ids, unix and ISO timestamps,
  version strings, tracking codes, EAN/ISBN codes, UUIDs, hashes, internal IPs, amounts, and
  special-category words said about nobody.

Label corrections applied to the generator's output (documented, never tuned to results):
- a `date_of_birth` placeholder is a date of birth only where the sentence presents it as one
  (templates with "date of birth" / "born"); elsewhere ("It's like that since …") it is a plain
  date, not personal data;
- private, loopback, link-local and reserved IP addresses are infrastructure (DESIGN.md), not PII;
- adjacent address parts (building number, street, secondary address, postcode, and a city,
  state or country directly after them) form one `address` span; a city or country alone is not
  an address;
- adjacent name parts (first name, last name) form one `person_name` span.

Each line: {"id", "lang", "source", "template", "text", "spans": [{"type", "start", "end"}]}.
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import os
import random
import re
import string
import sys
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

# ----------------------------------------------------------------------------- presidio part

# presidio-evaluator's faker-level entity types -> DESIGN.md vocabulary (None: not a PII label).
PRESIDIO_TYPES: dict[str, str | None] = {
    "person": "person_name",
    "name": "person_name",
    "name_female": "person_name",
    "name_male": "person_name",
    "first_name": "person_name",
    "first_name_male": "person_name",
    "first_name_female": "person_name",
    "first_name_nonbinary": "person_name",
    "last_name": "person_name",
    "last_name_male": "person_name",
    "last_name_female": "person_name",
    "email": "email",
    "phone_number": "phone",
    "credit_card_number": "credit_card",
    "iban": "iban",
    "ssn": "ssn",
    "us_driver_license": "drivers_license",
    "ip_address": "ip_address",  # public ones only, see _public_ip
    "date_of_birth": "date_of_birth",  # only where presented as one, see BIRTH_CUE
    "address": "address",
    "street_name": "address",
    "building_number": "address",
    "secondary_address": "address",
    "postcode": "address",
    # joined to an adjacent address part, otherwise not a label
    "city": "_place",
    "state": "_place",
    "state_abbr": "_place",
    "country": "_place",
    "zipcode": "_place",
    "organization": None,
    "age": None,
    "year": None,
    "date_time": None,
    "day_of_week": None,
    "nationality": None,
    "nation_woman": None,
    "nation_man": None,
    "nation_plural": None,
    "url": None,
    "job": None,
    "prefix": None,
    "prefix_male": None,
    "prefix_female": None,
}
BIRTH_CUE = re.compile(r"date of birth|born", re.I)
# Between two parts of one address or one name: separators only (the templates write "\n" as
# the two characters backslash and n).
_ADDR_GAP = re.compile(r"^(?:[\s,]|\\n)*$")
_NAME_GAP = re.compile(r"^ $")


def _public_ip(value: str) -> bool:
    try:
        ip = ipaddress.ip_address(value)
    except ValueError:
        return False
    return ip.is_global and not ip.is_multicast


def _merge(
    spans: list[dict[str, Any]], text: str, typ: str, gap: re.Pattern[str], joiners: set[str]
) -> list[dict[str, Any]]:
    """Join spans of `typ` (and `joiners` right after one) separated by `gap` only."""
    out: list[dict[str, Any]] = []
    for s in sorted(spans, key=lambda s: (s["start"], -s["end"])):
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev["type"] == typ
            and s["type"] in ({typ} | joiners)
            and s["start"] >= prev["end"]
            and gap.match(text[prev["end"] : s["start"]])
        ):
            prev["end"] = max(prev["end"], s["end"])
            continue
        if prev is not None and s["start"] < prev["end"] and s["type"] == prev["type"]:
            prev["end"] = max(prev["end"], s["end"])  # nested duplicate
            continue
        out.append(dict(s))
    return out


def _fixed_clock_provider() -> Any:
    """Faker's dates are drawn up to "now"; a fixed end date makes a seed reproduce its file."""
    from faker.providers import BaseProvider

    class FixedClock(BaseProvider):
        def date_time(self, tzinfo: Any = None, end_datetime: Any = None) -> datetime:
            return self.generator.date_time_between(datetime(1970, 1, 1), END, tzinfo)

        def date_of_birth(
            self, tzinfo: Any = None, minimum_age: int = 0, maximum_age: int = 115
        ) -> date:
            low = date(END.year - maximum_age - 1, END.month, END.day)
            high = date(END.year - minimum_age, END.month, END.day)
            return self.generator.date_between(low, high)

        def date_this_decade(self, *args: Any, **kwargs: Any) -> date:
            return self.generator.date_between(date(2020, 1, 1), END.date())

    return FixedClock


END = datetime(2025, 6, 30, 12, 0, 0)


def presidio_part(n: int, seed: int) -> list[dict[str, Any]]:
    from presidio_evaluator.data_generator import PresidioSentenceFaker

    identity = {k: k for k in PresidioSentenceFaker.ENTITY_TYPE_MAPPING}
    random.seed(seed)  # the generator draws from `random` while loading its records, before seeding
    faker = PresidioSentenceFaker(
        locale="en_US",
        lower_case_ratio=0.05,
        random_seed=seed,
        entity_type_mapping=identity,
    )
    faker.add_provider(_fixed_clock_provider())
    rows: list[dict[str, Any]] = []
    for i, sample in enumerate(faker.generate_new_fake_sentences(n)):
        text = sample.full_text
        spans: list[dict[str, Any]] = []
        for sp in sample.spans:
            typ = PRESIDIO_TYPES.get(sp.entity_type)
            if typ is None:
                continue
            value = text[sp.start_position : sp.end_position]
            if typ == "ip_address" and not _public_ip(value):
                continue
            if typ == "date_of_birth" and not BIRTH_CUE.search(text):
                continue
            spans.append({"type": typ, "start": sp.start_position, "end": sp.end_position})
        spans = _merge(spans, text, "address", _ADDR_GAP, {"_place"})
        spans = _merge(spans, text, "person_name", _NAME_GAP, set())
        spans = [s for s in spans if s["type"] != "_place"]
        rows.append(
            _row(f"p{seed}-{i:05d}", "en", "presidio", str(sample.template_id), text, spans)
        )
    return rows


def _row(
    rid: str, lang: str, source: str, template: str, text: str, spans: list[dict[str, Any]]
) -> dict[str, Any]:
    spans = sorted(spans, key=lambda s: (s["start"], s["end"]))
    for s in spans:
        s["value"] = text[s["start"] : s["end"]]
    return {
        "id": rid,
        "lang": lang,
        "source": source,
        "template": template,
        "text": text,
        "spans": [{k: s[k] for k in ("type", "start", "end", "value")} for s in spans],
    }


# ----------------------------------------------------------------------------- value makers
# Built from each identifier's published rule, independently of the detectors under test.


def steuer_id(r: random.Random) -> str:
    """German tax id: 11 digits, first not 0, one digit twice or thrice in the first ten,
    ISO 7064 MOD 11,10 check digit."""
    while True:
        digits = [r.randint(1, 9)] + [r.randint(0, 9) for _ in range(9)]
        counts = sorted((digits.count(d) for d in set(digits)), reverse=True)
        if counts[0] in (2, 3) and (len(counts) < 2 or counts[1] == 1):
            break
    product = 10
    for d in digits:
        total = (d + product) % 10 or 10
        product = (total * 2) % 11
    check = (11 - product) % 10
    s = "".join(map(str, digits)) + str(check)
    return r.choice([s, f"{s[:2]} {s[2:5]} {s[5:8]} {s[8:]}"])


def nif_pt(r: random.Random) -> str:
    """Portuguese NIF: 9 digits, first in 1-3, 5, 6, 8, 9; mod-11 check digit."""
    first = r.choice("1235689")
    body = first + "".join(r.choice(string.digits) for _ in range(7))
    total = sum(int(c) * w for c, w in zip(body, range(9, 1, -1), strict=True))
    check = 11 - total % 11
    return body + str(0 if check >= 10 else check)


_NINO_BAD_FIRST = set("DFIQUV")
_NINO_BAD_SECOND = set("DFIQUVO")
_NINO_BAD_PAIRS = {"BG", "GB", "NK", "KN", "TN", "NT", "ZZ"}


def nino(r: random.Random) -> str:
    """UK National Insurance number: two allowed letters, six digits, suffix A-D."""
    while True:
        a, b = r.choice(string.ascii_uppercase), r.choice(string.ascii_uppercase)
        if a not in _NINO_BAD_FIRST and b not in _NINO_BAD_SECOND and a + b not in _NINO_BAD_PAIRS:
            break
    d = "".join(r.choice(string.digits) for _ in range(6))
    suffix = r.choice("ABCD")
    return r.choice([f"{a}{b}{d}{suffix}", f"{a}{b} {d[:2]} {d[2:4]} {d[4:]} {suffix}"])


def luhn_complete(prefix: str, length: int, r: random.Random) -> str:
    body = prefix + "".join(r.choice(string.digits) for _ in range(length - len(prefix) - 1))
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return body + str((10 - total % 10) % 10)


def card(r: random.Random) -> str:
    prefix, length = r.choice(
        [("4", 16), ("51", 16), ("55", 16), ("2221", 16), ("34", 15), ("37", 15), ("6011", 16)]
    )
    n = luhn_complete(prefix, length, r)
    style = r.random()
    if style < 0.4:
        return n
    sep = " " if style < 0.8 else "-"
    if length == 15:
        return sep.join([n[:4], n[4:10], n[10:]])
    return sep.join(n[i : i + 4] for i in range(0, 16, 4))


def passport(lang: str, r: random.Random) -> str:
    up, dg = string.ascii_uppercase, string.digits
    de = "CFGHJKLMNPRTVWXYZ" + dg

    def pick(chars: str, k: int) -> str:
        return "".join(r.choice(chars) for _ in range(k))

    return {
        "de": lambda: r.choice("CFGHJK") + pick(de, 8),
        "fr": lambda: pick(dg, 2) + pick(up, 2) + pick(dg, 5),
        "es": lambda: pick(up, 3) + pick(dg, 6),
        "it": lambda: pick(up, 2) + pick(dg, 7),
        "nl": lambda: (
            pick(up.replace("O", ""), 2) + pick(up.replace("O", "") + dg, 6) + pick(dg, 1)
        ),
        "pl": lambda: pick(up, 2) + pick(dg, 7),
        "pt": lambda: pick(up, 1) + pick(dg, 6),
        "en": lambda: r.choice([pick(dg, 9), pick(up, 1) + pick(dg, 8)]),
    }[lang]()


def drivers_license(lang: str, r: random.Random) -> str:
    up, dg = string.ascii_uppercase, string.digits

    def pick(chars: str, k: int) -> str:
        return "".join(r.choice(chars) for _ in range(k))

    return {
        "de": lambda: pick(up + dg, 1) + pick(dg, 3) + pick(up + dg, 6) + pick(dg, 1),
        "fr": lambda: pick(dg, 12),
        "es": lambda: pick(dg, 8) + pick(up, 1),
        "it": lambda: pick(up, 1) + pick(up + dg, 1) + pick(dg, 7) + pick(up, 1),
        "nl": lambda: pick(dg, 10),
        "pl": lambda: f"{pick(dg, 5)}/{pick(dg, 2)}/{pick(dg, 4)}",
        "pt": lambda: f"{pick(up, 1)}-{pick(dg, 6)} {pick(dg, 1)}",
        "en": lambda: pick(up, 5) + pick(dg, 6) + pick(up, 2) + pick(dg, 1) + pick(up, 2),
    }[lang]()


MONTHS = {
    "de": "Januar Februar März April Mai Juni Juli August September Oktober November Dezember",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
    "it": "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre "
    "dicembre",
    "nl": "januari februari maart april mei juni juli augustus september oktober november december",
    "pl": "stycznia lutego marca kwietnia maja czerwca lipca sierpnia września października "
    "listopada grudnia",
    "pt": "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro",
    "en": "January February March April May June July August September October November December",
}


def birth_date(lang: str, faker: Any, r: random.Random) -> str:
    d = faker.date_of_birth(minimum_age=18, maximum_age=90)
    month = MONTHS[lang].split()[d.month - 1]
    numeric = {
        "de": f"{d.day:02d}.{d.month:02d}.{d.year}",
        "pl": f"{d.day:02d}.{d.month:02d}.{d.year}",
        "nl": f"{d.day:02d}-{d.month:02d}-{d.year}",
        "en": r.choice([f"{d.month}/{d.day}/{d.year}", f"{d.day:02d}/{d.month:02d}/{d.year}"]),
    }.get(lang, f"{d.day:02d}/{d.month:02d}/{d.year}")
    worded = {
        "de": f"{d.day}. {month} {d.year}",
        "es": f"{d.day} de {month} de {d.year}",
        "pt": f"{d.day} de {month} de {d.year}",
        "en": r.choice([f"{month} {d.day}, {d.year}", f"{d.day} {month} {d.year}"]),
    }.get(lang, f"{d.day} {month} {d.year}")
    return r.choice([numeric, worded, d.isoformat()])


LOCALES = {
    "de": "de_DE",
    "fr": "fr_FR",
    "es": "es_ES",
    "it": "it_IT",
    "nl": "nl_NL",
    "pl": "pl_PL",
    "pt": "pt_PT",
    "en": "en_GB",
}


def national_id(lang: str, faker: Any, r: random.Random) -> str:
    if lang == "es":
        return r.choice([faker.nif, faker.nie])()
    if lang == "pl":
        return faker.pesel()
    if lang in ("nl", "it", "fr"):
        return faker.ssn()  # BSN, codice fiscale, NIR: Faker computes their check digits
    if lang == "de":
        return steuer_id(r)
    if lang == "pt":
        return nif_pt(r)
    return nino(r)


def phone(lang: str, faker: Any, r: random.Random) -> str:
    return faker.phone_number()


VALUES: dict[str, tuple[str | None, Callable[[str, Any, random.Random], str]]] = {
    "name": ("person_name", lambda lang, f, r: f.name()),
    "first": (None, lambda lang, f, r: f.first_name()),  # a first name alone: not identifying
    "phone": ("phone", phone),
    "dob": ("date_of_birth", birth_date),
    "natid": ("national_id", national_id),
    "passport": ("passport", lambda lang, f, r: passport(lang, r)),
    "dl": ("drivers_license", lambda lang, f, r: drivers_license(lang, r)),
    "iban": ("iban", lambda lang, f, r: f.iban()),
    "email": ("email", lambda lang, f, r: f.email()),
    "card": ("credit_card", lambda lang, f, r: card(r)),
    "address": ("address", lambda lang, f, r: f"{f.street_address()}, {f.postcode()} {f.city()}"),
    "city": (None, lambda lang, f, r: f.city()),
    "company": (None, lambda lang, f, r: f.company()),
    "date": (None, lambda lang, f, r: f.date_this_decade().strftime("%d.%m.%Y")),
    "order": (None, lambda lang, f, r: str(r.randint(10**7, 10**10))),
    "ip": ("ip_address", lambda lang, f, r: f.ipv4_public()),
    "ip6": ("ip_address", lambda lang, f, r: _public_v6(r)),
}


def _public_v6(r: random.Random) -> str:
    while True:
        head = r.choice(["2a02", "2001:0db9", "2a01", "2600", "2c0f", "2804"])
        rest = ":".join(f"{r.randint(0, 0xFFFF):x}" for _ in range(8 - head.count(":") - 1))
        value = f"{head}:{rest}"
        if _public_ip(value):
            return value


# Templates: {kind} is a value (VALUES); <<type:words>> marks words that state a special
# category (the span is labelled `type`); everything else is plain text.
TEMPLATES: dict[str, list[str]] = {
    "de": [
        "Bitte rufen Sie mich unter {phone} zurück, ich bin ab 14 Uhr erreichbar.",
        "Kundin {name}, Tel.: {phone}, wünscht einen Rückruf.",
        "Meine Handynummer hat sich geändert, neu: {phone}",
        "{name} ist am {dob} geboren und wohnt in {city}.",
        "Geburtsdatum: {dob}",
        "Für die Lohnabrechnung: Steuer-ID {natid}, Name {name}.",
        "Meine steuerliche Identifikationsnummer lautet {natid}.",
        "Reisepassnummer {passport}, ausgestellt in {city}.",
        "Führerscheinnummer: {dl}",
        "Bitte buchen Sie den Betrag von meiner Kreditkarte {card} ab.",
        "Überweisung bitte auf IBAN {iban} (Kontoinhaber {name}).",
        "Schreiben Sie mir an {email}, danke!",
        "Lieferadresse: {address}",
        "{name} hat uns mitgeteilt, dass sie <<health:an Diabetes erkrankt>> ist.",
        "Herr {name} ist <<health:seit März krankgeschrieben>> (Bandscheibenvorfall).",
        "{name} ist <<trade_union:Mitglied der Gewerkschaft>> ver.di und bittet um Rückruf.",
        "Laut Akte ist {name} <<religion:Muslim>> und bittet um Halal-Essen.",
        "{name} engagiert sich als <<political_opinion:Mitglied der Grünen>> im Stadtrat.",
        "{name} hat erwähnt, dass er <<sexual_orientation:schwul>> ist und mit seinem Mann kommt.",
        "Seine <<ethnicity:ethnische Herkunft>> wurde im Formular angegeben: {name}, Roma.",
        "Von der IP-Adresse {ip} kamen fünf fehlgeschlagene Anmeldungen.",
    ],
    "fr": [
        "Merci de me rappeler au {phone} après 18h.",
        "Client : {name}, tél. {phone}",
        "Mon numéro de portable a changé : {phone}",
        "{name}, née le {dob} à {city}.",
        "Date de naissance : {dob}",
        "Numéro de sécurité sociale de {name} : {natid}",
        "Mon NIR est le {natid}, pouvez-vous mettre à jour le dossier ?",
        "Passeport n° {passport}, valable jusqu'en 2031.",
        "Numéro de permis de conduire : {dl}",
        "Veuillez débiter ma carte bancaire {card}.",
        "Virement sur l'IBAN {iban} au nom de {name}.",
        "Répondez-moi à {email} s'il vous plaît.",
        "Adresse de livraison : {address}",
        "{name} nous a informés qu'elle est <<health:atteinte d'un cancer du sein>>.",
        "Mme {name} est en <<health:arrêt maladie>> jusqu'au 12 mai.",
        "{name} est <<trade_union:délégué syndical CGT>> dans l'usine de {city}.",
        "{name} est <<religion:de confession juive>> et demande un congé pour Yom Kippour.",
        "{name} est <<political_opinion:militant du Parti socialiste>>.",
        "{name} nous a dit qu'elle est <<sexual_orientation:lesbienne>>.",
        "Le dossier de {name} mentionne son <<ethnicity:origine ethnique>> : kabyle.",
        "Connexions suspectes depuis l'adresse {ip6} ce matin.",
    ],
    "es": [
        "Por favor, llámeme al {phone} esta tarde.",
        "Cliente: {name}, teléfono {phone}",
        "Mi número de móvil nuevo es {phone}",
        "{name} nació el {dob} en {city}.",
        "Fecha de nacimiento: {dob}",
        "Mi DNI es {natid}, a nombre de {name}.",
        "Adjunto el documento de identidad {natid} para la verificación.",
        "Número de pasaporte: {passport}",
        "Permiso de conducir n.º {dl}",
        "Cargue el importe a mi tarjeta de crédito {card}, por favor.",
        "Transferencia al IBAN {iban} de {name}.",
        "Escríbame a {email}.",
        "Dirección de envío: {address}",
        "{name} nos informó de que <<health:padece depresión>> y está de baja.",
        "La paciente {name} fue <<health:diagnosticada de asma>> en 2019.",
        "{name} es <<trade_union:afiliado a Comisiones Obreras>>.",
        "{name} es <<religion:testigo de Jehová>> y no acepta transfusiones.",
        "{name} es <<political_opinion:afiliada al Partido Popular>>.",
        "{name} nos contó que es <<sexual_orientation:bisexual>>.",
        "En la ficha de {name} consta su <<ethnicity:origen étnico>> gitano.",
        "Intentos de acceso desde la IP {ip}.",
    ],
    "it": [
        "Mi richiami al numero {phone}, grazie.",
        "Cliente: {name}, cell. {phone}",
        "Il mio nuovo numero di cellulare è {phone}",
        "{name}, nato il {dob} a {city}.",
        "Data di nascita: {dob}",
        "Il codice fiscale di {name} è {natid}.",
        "Codice fiscale: {natid}",
        "Passaporto n. {passport}",
        "Numero patente di guida: {dl}",
        "Addebitate l'importo sulla mia carta di credito {card}.",
        "Bonifico sull'IBAN {iban} intestato a {name}.",
        "Scrivetemi a {email}.",
        "Indirizzo di consegna: {address}",
        "{name} ci ha detto di essere <<health:in cura per l'epilessia>>.",
        "Il paziente {name} è <<health:positivo all'HIV>>.",
        "{name} è <<trade_union:iscritto alla CGIL>> e chiede un incontro.",
        "{name} è <<religion:musulmano praticante>> e chiede un pasto halal.",
        "{name} è <<political_opinion:iscritta al Partito Democratico>>.",
        "{name} ha detto di essere <<sexual_orientation:omosessuale>>.",
        "Nel modulo di {name} compare l'<<ethnicity:origine etnica>> rom.",
        "Accessi sospetti dall'indirizzo IP {ip}.",
    ],
    "nl": [
        "Bel me terug op {phone}, alstublieft.",
        "Klant: {name}, tel. {phone}",
        "Mijn nieuwe mobiele nummer is {phone}",
        "{name} is geboren op {dob} in {city}.",
        "Geboortedatum: {dob}",
        "Het BSN van {name} is {natid}.",
        "Burgerservicenummer: {natid}",
        "Paspoortnummer {passport}",
        "Rijbewijsnummer: {dl}",
        "Schrijf het bedrag af van mijn creditcard {card}.",
        "Overboeken naar IBAN {iban} t.n.v. {name}.",
        "Mail mij op {email}.",
        "Afleveradres: {address}",
        "{name} heeft laten weten dat zij <<health:zwanger>> is.",
        "Meneer {name} is <<health:ziek gemeld wegens een burn-out>>.",
        "{name} is <<trade_union:lid van de FNV>>.",
        "{name} is <<religion:katholiek>> en vraagt vrij met Pasen.",
        "{name} is <<political_opinion:lid van de VVD>>.",
        "{name} vertelde dat hij <<sexual_orientation:homo>> is.",
        "In het dossier van {name} staat haar <<ethnicity:etnische afkomst>>: Marokkaans.",
        "Mislukte inlogpogingen vanaf {ip}.",
    ],
    "pl": [
        "Proszę oddzwonić pod numer {phone}.",
        "Klient: {name}, tel. {phone}",
        "Mój nowy numer komórki to {phone}",
        "{name}, urodzony {dob} w {city}.",
        "Data urodzenia: {dob}",
        "PESEL pana {name}: {natid}",
        "Mój numer PESEL to {natid}.",
        "Numer paszportu: {passport}",
        "Prawo jazdy nr {dl}",
        "Proszę obciążyć moją kartę kredytową {card}.",
        "Przelew na IBAN {iban}, odbiorca {name}.",
        "Proszę pisać na {email}.",
        "Adres dostawy: {address}",
        "{name} poinformowała nas, że <<health:choruje na cukrzycę>>.",
        "Pacjent {name} jest <<health:po zawale serca>>.",
        "{name} jest <<trade_union:członkiem związku zawodowego>> Solidarność.",
        "{name} jest <<religion:katoliczką>> i prosi o wolne w Wigilię.",
        "{name} jest <<political_opinion:członkiem partii>> Lewica.",
        "{name} powiedział, że jest <<sexual_orientation:gejem>>.",
        "W aktach {name} wpisano <<ethnicity:pochodzenie etniczne>>: romskie.",
        "Nieudane logowania z adresu {ip}.",
    ],
    "pt": [
        "Por favor ligue-me para o {phone}.",
        "Cliente: {name}, telemóvel {phone}",
        "O meu novo número de telefone é {phone}",
        "{name}, nascida em {dob} em {city}.",
        "Data de nascimento: {dob}",
        "O NIF de {name} é {natid}.",
        "Número de contribuinte: {natid}",
        "Passaporte n.º {passport}",
        "Carta de condução n.º {dl}",
        "Debitem o valor no meu cartão de crédito {card}.",
        "Transferência para o IBAN {iban}, titular {name}.",
        "Escreva-me para {email}.",
        "Morada de entrega: {address}",
        "{name} informou que <<health:sofre de esclerose múltipla>>.",
        "O doente {name} foi <<health:internado com pneumonia>>.",
        "{name} é <<trade_union:sindicalizado na CGTP>>.",
        "{name} é <<religion:evangélica>> e pede folga ao domingo.",
        "{name} é <<political_opinion:militante do Partido Socialista>>.",
        "{name} disse-nos que é <<sexual_orientation:gay>>.",
        "Na ficha de {name} consta a <<ethnicity:origem étnica>> cigana.",
        "Tentativas de acesso a partir do IP {ip}.",
    ],
    "en": [
        "Please call me back on {phone} after 5pm.",
        "Customer {name}, mobile {phone}, asked for a callback.",
        "My National Insurance number is {natid}.",
        "NINO: {natid} ({name})",
        "Passport number {passport}, expires 2030.",
        "{name} was born on {dob} in {city}.",
        "DOB: {dob}",
        "Driving licence number: {dl}",
        "Charge it to my Visa {card}, thanks.",
        "{name} told HR that she <<health:has been diagnosed with breast cancer>>.",
        "{name} is <<health:on sick leave after knee surgery>>.",
        "{name} is <<trade_union:a member of Unite the union>> and wants a rep present.",
        "{name} is <<religion:a practising Muslim>> and asked for prayer breaks.",
        "{name} is <<political_opinion:a member of the Labour Party>>.",
        "{name} mentioned that he <<sexual_orientation:is gay>>.",
        "The form lists {name}'s <<ethnicity:ethnic origin>> as Bangladeshi.",
        "Blocked repeated login attempts from {ip6}.",
        "The intake note says {name} <<health:takes 20 mg of fluoxetine>> daily.",
    ],
}

# Special-category words said about nobody, and ordinary sentences: no label.
NEUTRAL: dict[str, list[str]] = {
    "de": [
        "Unsere Broschüre zu Diabetes wurde aktualisiert.",
        "Die Gewerkschaften fordern mehr Lohn, berichtet die Zeitung.",
        "Das Meeting zur Kirchensteuer ist am Dienstag.",
        "Bestellnummer {order} wurde versandt.",
        "Rechnung Nr. {order} vom {date}",
        "Version 3.14.2 behebt den Fehler beim Export.",
    ],
    "fr": [
        "La campagne de prévention du cancer commence en mai.",
        "Le syndicat a publié un communiqué sur les retraites.",
        "Commande n° {order} expédiée le {date}.",
        "Facture {order} réglée.",
        "La mise à jour 2.4.1 corrige le bug d'affichage.",
    ],
    "es": [
        "El hospital abrió una nueva unidad de diabetes.",
        "Los sindicatos convocan una huelga general.",
        "Pedido n.º {order} enviado el {date}.",
        "Factura {order} pagada.",
        "La versión 10.2.3 ya está disponible.",
    ],
    "it": [
        "La campagna contro il cancro parte lunedì.",
        "I sindacati hanno firmato il contratto nazionale.",
        "Ordine n. {order} spedito il {date}.",
        "Fattura {order} saldata.",
        "La versione 4.0.12 è stata rilasciata.",
    ],
    "nl": [
        "De folder over diabetes is vernieuwd.",
        "De vakbond heeft een staking aangekondigd.",
        "Bestelnummer {order} is verzonden.",
        "Factuur {order} is betaald op {date}.",
        "Versie 1.22.4 lost het probleem op.",
    ],
    "pl": [
        "Kampania profilaktyki raka rusza w maju.",
        "Związki zawodowe zapowiedziały protest.",
        "Zamówienie nr {order} zostało wysłane.",
        "Faktura {order} z dnia {date}.",
        "Wersja 5.1.0 naprawia błąd.",
    ],
    "pt": [
        "A campanha contra o cancro começa em maio.",
        "Os sindicatos marcaram uma greve geral.",
        "Encomenda n.º {order} enviada em {date}.",
        "Fatura {order} paga.",
        "A versão 2.0.7 corrige o erro.",
    ],
    "en": [
        "The diabetes awareness leaflet is on the shared drive.",
        "Trade unions have called a national strike.",
        "The church choir meets on Thursdays.",
        "Order #{order} shipped on {date}.",
    ],
}

_FIELD = re.compile(r"\{(\w+)\}|<<(\w+):([^>]+)>>")


def fill(
    template: str, lang: str, faker: Any, r: random.Random
) -> tuple[str, list[dict[str, Any]]]:
    text, spans, last = [], [], 0
    pos = 0
    for m in _FIELD.finditer(template):
        text.append(template[last : m.start()])
        pos += m.start() - last
        if m.group(1):
            typ, make = VALUES[m.group(1)]
            value = make(lang, faker, r)
        else:
            typ, value = m.group(2), m.group(3)
        if typ:
            spans.append({"type": typ, "start": pos, "end": pos + len(value)})
        text.append(value)
        pos += len(value)
        last = m.end()
    text.append(template[last:])
    return "".join(text), spans


def template_part(per_template: int, seed: int) -> list[dict[str, Any]]:
    from faker import Faker

    rows: list[dict[str, Any]] = []
    for lang, templates in TEMPLATES.items():
        faker = Faker(LOCALES[lang])
        faker.add_provider(_fixed_clock_provider())
        faker.seed_instance(seed * 1000 + len(lang) + ord(lang[0]) * 7 + ord(lang[1]))
        r = random.Random(f"{seed}-{lang}")
        items = [(f"t-{lang}-{i}", t) for i, t in enumerate(templates)]
        items += [(f"n-{lang}-{i}", t) for i, t in enumerate(NEUTRAL[lang])]
        for tid, t in items:
            for k in range(per_template):
                text, spans = fill(t, lang, faker, r)
                rows.append(_row(f"{tid}-s{seed}-{k}", lang, "templates", tid, text, spans))
    return rows


# ----------------------------------------------------------------------------- hard negatives


def _digits(r: random.Random, n: int) -> str:
    return str(r.randint(1, 9)) + "".join(r.choice(string.digits) for _ in range(n - 1))


def _ean13(r: random.Random) -> str:
    body = r.choice(["400", "301", "590", "871", "800", "978"]) + _digits(r, 9)
    total = sum(int(c) * (3 if i % 2 else 1) for i, c in enumerate(body))
    return body + str((10 - total % 10) % 10)


def _ups(r: random.Random) -> str:
    return "1Z" + "".join(r.choice(string.ascii_uppercase + string.digits) for _ in range(16))


def _hex(r: random.Random, n: int) -> str:
    return "".join(r.choice("0123456789abcdef") for _ in range(n))


def _uuid(r: random.Random) -> str:
    h = _hex(r, 32)
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:]}"


def _private_ip(r: random.Random) -> str:
    return r.choice(
        [
            f"10.{r.randint(0, 255)}.{r.randint(0, 255)}.{r.randint(1, 254)}",
            f"192.168.{r.randint(0, 255)}.{r.randint(1, 254)}",
            f"172.{r.randint(16, 31)}.{r.randint(0, 255)}.{r.randint(1, 254)}",
            f"127.0.0.{r.randint(1, 9)}",
            f"fe80::{_hex(r, 4)}:{_hex(r, 4)}",
            f"fd{_hex(r, 2)}:{_hex(r, 4)}::{r.randint(1, 99)}",
            "::1",
            f"192.0.2.{r.randint(1, 254)}",
            f"198.51.100.{r.randint(1, 254)}",
        ]
    )


NEGATIVES: list[Callable[[random.Random], str]] = [
    lambda r: f"Order #{_digits(r, 10)} has shipped and should arrive Tuesday.",
    lambda r: f"Your order number is {_digits(r, 12)}.",
    lambda r: f"Order {luhn_complete('4', 16, r)} was refunded.",  # Luhn-valid, still an order
    lambda r: f"Invoice INV-{r.randint(2019, 2026)}-{_digits(r, 6)} is overdue.",
    lambda r: f"Ticket {r.choice(['JIRA', 'OPS', 'SUP'])}-{r.randint(100, 99999)} was closed.",
    lambda r: f"Case ID {_digits(r, 9)} escalated to tier 2.",
    lambda r: f"Reference number {_digits(r, 11)}, please quote it in any reply.",
    lambda r: f"Customer no. {_digits(r, 8)} renewed the contract.",
    lambda r: f"Tracking number {_ups(r)} (UPS).",
    lambda r: (
        f"USPS tracking: 9400 {_digits(r, 4)} {_digits(r, 4)} {_digits(r, 4)} {_digits(r, 4)} {_digits(r, 2)}"
    ),
    lambda r: f"FedEx tracking {_digits(r, 12)} shows it at the depot.",
    lambda r: f"DHL shipment {_digits(r, 10)} is out for delivery.",
    lambda r: f"Event logged at {r.randint(1_500_000_000, 1_800_000_000)} (unix time).",
    lambda r: f'"ts": {r.randint(1_500_000_000_000, 1_800_000_000_000)}, "status": "ok"',
    lambda r: (
        f"Job finished at 20{r.randint(10, 26)}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}T{r.randint(0, 23):02d}:{r.randint(0, 59):02d}:{r.randint(0, 59):02d}Z"
    ),
    lambda r: (
        f"Deployed build {r.randint(1, 30)}.{r.randint(0, 99)}.{r.randint(0, 999)}.{r.randint(0, 9999)} to staging."
    ),
    lambda r: (
        f"Upgrade to version {r.randint(1, 9)}.{r.randint(0, 20)}.{r.randint(0, 30)} before Friday."
    ),
    lambda r: f"Windows 10.0.{r.randint(10000, 22631)}.{r.randint(100, 4000)} is required.",
    lambda r: f"Request id {_uuid(r)} failed with 502.",
    lambda r: f"Commit {_hex(r, 40)} fixed the regression.",
    lambda r: f"sha256: {_hex(r, 64)}",
    lambda r: f"The database is at {_private_ip(r)} on port 5432.",
    lambda r: f"Ping {_private_ip(r)} from the bastion.",
    lambda r: f"Barcode {_ean13(r)} scanned at the till.",
    lambda r: f"ISBN {_ean13(r)}",
    lambda r: f"SKU {_digits(r, 10)} is out of stock.",
    lambda r: f"Total due: {r.randint(1, 999)},{r.randint(100, 999)}.{r.randint(10, 99)} EUR",
    lambda r: f"Coordinates {r.uniform(-80, 80):.6f}, {r.uniform(-170, 170):.6f}",
    lambda r: f"Serial number {_digits(r, 14)} registered under warranty.",
    lambda r: (
        f"Meeting room 4.{r.randint(10, 99)}, {r.randint(9, 17)}:{r.choice(['00', '30'])} to {r.randint(9, 17)}:{r.choice(['00', '30'])}."
    ),
    lambda r: (
        f"The batch ran from {r.randint(1, 28):02d}/{r.randint(1, 12):02d}/{r.randint(2019, 2026)} to today."
    ),
    lambda r: f"Account {_digits(r, 8)} exceeded its quota of {r.randint(10, 500)} GB.",
    lambda r: (
        f"Resolution {r.choice(['1920x1080', '2560x1440', '3840x2160'])}, {r.randint(24, 144)} fps."
    ),
    lambda r: f"PO {_digits(r, 10)} approved by procurement.",
    lambda r: (
        f"Flight LH{r.randint(100, 9999)} departs at {r.randint(0, 23):02d}:{r.randint(0, 59):02d}."
    ),
    lambda r: f"Error 0x{_hex(r, 8)} at offset {r.randint(1000, 99999)}.",
    lambda r: f"Cluster node {r.randint(1, 9)} uses {_private_ip(r)} as gateway.",
    lambda r: (
        f"Phone model {r.choice(['iPhone 15', 'Pixel 8', 'Galaxy S24'])} sold {_digits(r, 6)} units."
    ),
    lambda r: (
        f"Call volume was {_digits(r, 5)} last week; average handle time {r.randint(2, 9)} min."
    ),
    lambda r: (
        f"Card reader firmware {r.randint(1, 9)}.{r.randint(0, 9)}.{r.randint(0, 99)} installed."
    ),
    lambda r: f"The mobile app crashed on build {_digits(r, 9)}.",
    lambda r: f"Born in the USA is a {r.randint(1980, 1990)} album.",
    lambda r: f"The patient portal will be down from {r.randint(1, 11)} to {r.randint(12, 23)} h.",
    lambda r: f"Passport office opening hours changed on {r.randint(1, 28)}/{r.randint(1, 12)}.",
]


def negatives_part(per_kind: int, seed: int) -> list[dict[str, Any]]:
    r = random.Random(f"neg-{seed}")
    rows: list[dict[str, Any]] = []
    for i, make in enumerate(NEGATIVES):
        for k in range(per_kind):
            rows.append(_row(f"neg-{i}-s{seed}-{k}", "en", "negatives", f"neg-{i}", make(r), []))
    return rows


# ----------------------------------------------------------------------------- main


def main() -> None:
    if os.environ.get("PYTHONHASHSEED") != "0":
        # some Faker locales pick from sets: fix string hashing so a seed reproduces its file
        os.execve(
            sys.executable, [sys.executable, *sys.argv], {**os.environ, "PYTHONHASHSEED": "0"}
        )
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--presidio", type=int, default=1600, help="sentences from the generator")
    ap.add_argument("--per-template", type=int, default=4, help="fills of each own template")
    ap.add_argument("--per-negative", type=int, default=6, help="fills of each hard negative")
    args = ap.parse_args()
    rows = presidio_part(args.presidio, args.seed)
    rows += template_part(args.per_template, args.seed)
    rows += negatives_part(args.per_negative, args.seed)
    with args.out.open("w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{len(rows)} sentences -> {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
