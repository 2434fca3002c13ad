"""Check digits and structure of identifiers: payment cards, IBANs, US SSNs, European national ids.

Each check is the identifier's published rule, so a value is personal data because of what it
is, not because a regex matched its shape. All functions take the value with separators already
removed (upper case where letters occur) and are pure; none is slower than linear in its input.
"""

from __future__ import annotations

from typing import Final

_DIGITS: Final = frozenset("0123456789")


def only_digits(s: str) -> bool:
    return len(s) > 0 and all(c in _DIGITS for c in s)


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


# (first digits, lowest, highest, lengths): issuer identification ranges of the card networks.
_CARD_RANGES: Final[tuple[tuple[int, int, int, tuple[int, ...]], ...]] = (
    (1, 4, 4, (13, 16, 19)),  # Visa
    (2, 51, 55, (16,)),  # Mastercard
    (4, 2221, 2720, (16,)),  # Mastercard 2-series
    (2, 34, 34, (15,)),  # American Express
    (2, 37, 37, (15,)),
    (4, 6011, 6011, (16, 17, 18, 19)),  # Discover
    (3, 644, 649, (16, 17, 18, 19)),
    (2, 65, 65, (16, 17, 18, 19)),
    (3, 300, 305, (14, 15, 16, 17, 18, 19)),  # Diners Club
    (2, 36, 36, (14, 15, 16, 17, 18, 19)),
    (2, 38, 39, (16, 17, 18, 19)),
    (4, 3528, 3589, (16, 17, 18, 19)),  # JCB
    (4, 1800, 1800, (15,)),
    (4, 2131, 2131, (15,)),
    (2, 62, 62, (16, 17, 18, 19)),  # UnionPay
    (2, 81, 81, (16, 17, 18, 19)),
    (4, 2200, 2204, (16, 17, 18, 19)),  # Mir
    (2, 50, 50, (12, 13, 14, 15, 16, 17, 18, 19)),  # Maestro
    (2, 56, 58, (12, 13, 14, 15, 16, 17, 18, 19)),
    (2, 63, 63, (12, 13, 14, 15, 16, 17, 18, 19)),
    (2, 67, 67, (12, 13, 14, 15, 16, 17, 18, 19)),
    (4, 6759, 6759, (12, 13, 14, 15, 16, 17, 18, 19)),
    (3, 639, 639, (12, 13, 14, 15, 16, 17, 18, 19)),
    (4, 5019, 5019, (16,)),  # Dankort
    (4, 4571, 4571, (16,)),
    (4, 6062, 6062, (16,)),  # Hipercard
    (6, 636368, 636368, (16,)),  # Elo
)


def card_issuer_ok(digits: str, any_length: bool = False) -> bool:
    """A known network's range; its lengths too unless `any_length` (a cue said "card")."""
    n = len(digits)
    for width, low, high, lengths in _CARD_RANGES:
        if n > width and low <= int(digits[:width]) <= high and (any_length or n in lengths):
            return True
    return False


def card_ok(digits: str, cue: bool, cue_adjacent: bool = False) -> bool:
    """12-19 digits and Luhn, plus a network's range with one of its lengths; any length when a
    "card" cue is near, any range when the cue is right before the number ("card no 0604…")."""
    if not 12 <= len(digits) <= 19 or len(set(digits)) < 3 or not luhn_ok(digits):
        return False
    return cue_adjacent or card_issuer_ok(digits, any_length=cue)


# ISO 13616 lengths per country.
IBAN_LENGTHS: Final[dict[str, int]] = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22,
    "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "DO": 28,
    "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23,
    "GL": 18, "GR": 27, "GT": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26,
    "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20,
    "LV": 21, "MC": 27, "MD": 24, "ME": 22, "MK": 19, "MR": 27, "MT": 31, "MU": 30, "NL": 18,
    "NO": 15, "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "SA": 24,
    "SC": 31, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "ST": 25, "SV": 28, "TL": 23, "TN": 24,
    "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20,
}  # fmt: skip


def iban_ok(compact: str) -> bool:
    """Country length and ISO 7064 mod 97-10 (`compact`: upper case, no spaces)."""
    if IBAN_LENGTHS.get(compact[:2], 0) != len(compact):
        return False
    total = 0
    for ch in compact[4:] + compact[:4]:
        if "0" <= ch <= "9":
            total = (total * 10 + ord(ch) - 48) % 97
        elif "A" <= ch <= "Z":
            total = (total * 100 + ord(ch) - 55) % 97
        else:
            return False
    return total == 1


def ssn_ok(area: str, group: str, serial: str) -> bool:
    """US SSN allocation rules: no 000, 666 or 9xx area, no 00 group, no 0000 serial."""
    a = int(area)
    return a != 0 and a != 666 and a < 900 and group != "00" and serial != "0000"


# ----------------------------------------------------------------------------- national ids

_DNI_LETTERS: Final = "TRWAGMYFPDXBNJZSQVHLCKE"


def es_dni_ok(s: str) -> bool:
    """Spanish DNI (8 digits + letter) or NIE (X/Y/Z + 7 digits + letter): mod-23 letter."""
    if len(s) != 9 or not "A" <= s[8] <= "Z":
        return False
    body = s[:8]
    if body[0] in "XYZ":
        body = str("XYZ".index(body[0])) + body[1:]
    if not only_digits(body):
        return False
    return _DNI_LETTERS[int(body) % 23] == s[8]


def pl_pesel_ok(s: str) -> bool:
    """Polish PESEL: 11 digits, a real birth date (century in the month), weighted check digit."""
    if len(s) != 11 or not only_digits(s):
        return False
    weights = (1, 3, 7, 9, 1, 3, 7, 9, 1, 3)
    total = sum(int(s[i]) * weights[i] for i in range(10))
    if (10 - total % 10) % 10 != int(s[10]):
        return False
    month = int(s[2:4]) % 20
    day = int(s[4:6])
    return 1 <= month <= 12 and 1 <= day <= 31


def nl_bsn_ok(s: str) -> bool:
    """Dutch BSN: 9 digits (8 with a leading zero dropped), the "11-proof"."""
    if len(s) == 8:
        s = "0" + s
    if len(s) != 9 or not only_digits(s) or s == "000000000":
        return False
    total = sum(int(s[i]) * (9 - i) for i in range(8)) - int(s[8])
    return total % 11 == 0


_CF_ODD: Final = (1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23)  # fmt: skip
_CF_OMOCODE: Final = "LMNPQRSTUV"


def it_cf_ok(s: str) -> bool:
    """Italian codice fiscale: 6 letters, 2 digits, month letter, 2 digits, place, check letter."""
    if len(s) != 16:
        return False
    for i, ch in enumerate(s):
        digit_pos = i in (6, 7, 9, 10, 12, 13, 14)
        if digit_pos:
            if not (ch in _DIGITS or ch in _CF_OMOCODE):
                return False
        elif not "A" <= ch <= "Z":
            return False
    if s[8] not in "ABCDEHLMPRST":
        return False
    total = 0
    for i in range(15):
        ch = s[i]
        v = ord(ch) - 48 if ch in _DIGITS else ord(ch) - 65
        total += _CF_ODD[v] if i % 2 == 0 else v
    return chr(65 + total % 26) == s[15]


def iso7064_mod11_10_ok(s: str) -> bool:
    product = 10
    for ch in s[:-1]:
        total = (ord(ch) - 48 + product) % 10 or 10
        product = (total * 2) % 11
    return (11 - product) % 10 == ord(s[-1]) - 48


def de_steuer_id_ok(s: str) -> bool:
    """German tax id: 11 digits, no leading 0, one digit repeated in the first ten, MOD 11,10."""
    if len(s) != 11 or not only_digits(s) or s[0] == "0":
        return False
    counts = sorted((s[:10].count(d) for d in set(s[:10])), reverse=True)
    if counts[0] not in (2, 3) or (len(counts) > 1 and counts[1] > 1):
        return False
    return iso7064_mod11_10_ok(s)


def hr_oib_ok(s: str) -> bool:
    """Croatian OIB: 11 digits, ISO 7064 MOD 11,10."""
    return len(s) == 11 and only_digits(s) and iso7064_mod11_10_ok(s)


def fr_nir_ok(s: str) -> bool:
    """French NIR (social security number): 13 characters + 2-digit key, 97 - n mod 97."""
    if len(s) != 15 or s[0] not in "12378":
        return False
    body = s[:13].replace("2A", "19").replace("2B", "18")
    if not only_digits(body) or not only_digits(s[13:]):
        return False
    month = int(body[3:5])
    if not (1 <= month <= 12 or 20 <= month <= 42 or 50 <= month <= 99):
        return False
    return 97 - int(body) % 97 == int(s[13:])


def pt_nif_ok(s: str) -> bool:
    """Portuguese NIF: 9 digits, first in 1-3, 5, 6, 8, 9; mod-11 check digit."""
    if len(s) != 9 or not only_digits(s) or s[0] not in "1235689":
        return False
    total = sum(int(s[i]) * (9 - i) for i in range(8))
    check = 11 - total % 11
    return (0 if check >= 10 else check) == int(s[8])


_NINO_BAD_FIRST: Final = "DFIQUV"
_NINO_BAD_SECOND: Final = "DFIQUVO"
_NINO_BAD_PREFIX: Final = frozenset({"BG", "GB", "NK", "KN", "TN", "NT", "ZZ"})


def uk_nino_ok(s: str) -> bool:
    """UK National Insurance number: allowed prefix letters, 6 digits, suffix A-D."""
    if len(s) != 9 or not ("A" <= s[0] <= "Z" and "A" <= s[1] <= "Z"):
        return False
    if s[0] in _NINO_BAD_FIRST or s[1] in _NINO_BAD_SECOND or s[:2] in _NINO_BAD_PREFIX:
        return False
    return only_digits(s[2:8]) and s[8] in "ABCD"


def be_rrn_ok(s: str) -> bool:
    """Belgian national register number: 11 digits, 97 - n mod 97 (2000s: 2 prefixed)."""
    if len(s) != 11 or not only_digits(s):
        return False
    body, check = int(s[:9]), int(s[9:])
    month = int(s[2:4])
    if month > 12 and not 20 <= month <= 32 and not 40 <= month <= 52:
        return False
    return 97 - body % 97 == check or 97 - int("2" + s[:9]) % 97 == check


def se_personnummer_ok(s: str) -> bool:
    """Swedish personnummer: YYMMDD + 4 digits (12 with the century), Luhn on the last 10."""
    if len(s) == 12:
        s = s[2:]
    if len(s) != 10 or not only_digits(s):
        return False
    month, day = int(s[2:4]), int(s[4:6])
    return 1 <= month <= 12 and 1 <= day <= 91 and luhn_ok(s)


_HETU_CHECK: Final = "0123456789ABCDEFHJKLMNPRSTUVWXY"


def fi_hetu_ok(s: str) -> bool:
    """Finnish henkilötunnus: DDMMYY, century sign, 3 digits, mod-31 check character."""
    if len(s) != 11 or s[6] not in "+-AUVWXYBCDEF":
        return False
    digits = s[:6] + s[7:10]
    if not only_digits(digits):
        return False
    day, month = int(s[:2]), int(s[2:4])
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return False
    return _HETU_CHECK[int(digits) % 31] == s[10]


def ie_ppsn_ok(s: str) -> bool:
    """Irish PPS number: 7 digits, check letter (weighted mod 23), optional second letter."""
    if len(s) not in (8, 9) or not only_digits(s[:7]):
        return False
    total = sum(int(s[i]) * (8 - i) for i in range(7))
    if len(s) == 9:
        if not "A" <= s[8] <= "Z" and s[8] != "W":
            return False
        total += (ord(s[8]) - 64) * 9 if s[8] != "W" else 0
    check = "WABCDEFGHIJKLMNOPQRSTUV"[total % 23]
    return s[7] == check


def ro_cnp_ok(s: str) -> bool:
    """Romanian CNP: 13 digits, weighted mod-11 check digit."""
    if len(s) != 13 or not only_digits(s) or s[0] == "0":
        return False
    weights = "279146358279"
    total = sum(int(s[i]) * int(weights[i]) for i in range(12))
    check = total % 11
    return (1 if check == 10 else check) == int(s[12])


def cz_rc_ok(s: str) -> bool:
    """Czech/Slovak rodné číslo (10 digits since 1954): divisible by 11, a real month."""
    if len(s) != 10 or not only_digits(s):
        return False
    month = int(s[2:4]) % 50
    if month > 20:
        month -= 20
    return 1 <= month <= 12 and int(s) % 11 == 0


def ee_lt_id_ok(s: str) -> bool:
    """Estonian isikukood / Lithuanian asmens kodas: 11 digits, two-pass weighted mod 11."""
    if len(s) != 11 or not only_digits(s) or s[0] not in "123456":
        return False
    w1, w2 = (1, 2, 3, 4, 5, 6, 7, 8, 9, 1), (3, 4, 5, 6, 7, 8, 9, 1, 2, 3)
    check = sum(int(s[i]) * w1[i] for i in range(10)) % 11
    if check == 10:
        check = sum(int(s[i]) * w2[i] for i in range(10)) % 11
        if check == 10:
            check = 0
    return check == int(s[10])


def bg_egn_ok(s: str) -> bool:
    """Bulgarian EGN: 10 digits, weighted mod-11 check digit."""
    if len(s) != 10 or not only_digits(s):
        return False
    weights = (2, 4, 8, 5, 10, 9, 7, 3, 6)
    check = sum(int(s[i]) * weights[i] for i in range(9)) % 11
    return (0 if check == 10 else check) == int(s[9])


def at_svnr_ok(s: str) -> bool:
    """Austrian social insurance number: 3 digits, check digit, birth date DDMMYY."""
    if len(s) != 10 or not only_digits(s) or s[0] == "0":
        return False
    weights = (3, 7, 9, 0, 5, 8, 4, 2, 1, 6)
    check = sum(int(s[i]) * weights[i] for i in range(10)) % 11
    return check == int(s[3]) and 1 <= int(s[6:8]) <= 12


def strong_national_id(s: str) -> str | None:
    """The scheme a value with letters passes without any cue: DNI/NIE, codice fiscale, NINO,
    henkilötunnus. None when it passes none."""
    n = len(s)
    if n == 9 and es_dni_ok(s):
        return "es_dni"
    if n == 16 and it_cf_ok(s):
        return "it_cf"
    if n == 9 and uk_nino_ok(s):
        return "uk_nino"
    if n == 11 and fi_hetu_ok(s):
        return "fi_hetu"
    return None


def checked_national_id(s: str) -> str | None:
    """The first national scheme whose check `s` passes (cue-gated: digits-only schemes pass by
    chance about once in ten to a hundred)."""
    strong = strong_national_id(s)
    if strong is not None:
        return strong
    n = len(s)
    if n == 11:
        if pl_pesel_ok(s):
            return "pl_pesel"
        if de_steuer_id_ok(s):
            return "de_steuer_id"
        if be_rrn_ok(s):
            return "be_rrn"
        if ee_lt_id_ok(s):
            return "ee_lt_id"
        if hr_oib_ok(s):
            return "hr_oib"
    elif n in (8, 9):
        if n == 9 and pt_nif_ok(s):
            return "pt_nif"
        if nl_bsn_ok(s):
            return "nl_bsn"
        if ie_ppsn_ok(s):
            return "ie_ppsn"
    elif n == 15:
        if fr_nir_ok(s):
            return "fr_nir"
    elif n == 13:
        if ro_cnp_ok(s):
            return "ro_cnp"
    elif n in (10, 12):
        if se_personnummer_ok(s):
            return "se_personnummer"
        if n == 10 and cz_rc_ok(s):
            return "cz_rc"
        if n == 10 and bg_egn_ok(s):
            return "bg_egn"
        if n == 10 and at_svnr_ok(s):
            return "at_svnr"
    return None
