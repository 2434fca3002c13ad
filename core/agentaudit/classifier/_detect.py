"""Value detectors: PII and secrets, checked by structure or checksum where one exists.

Every detector is a precompiled regex plus a validator; the expensive validators (phonenumbers,
Luhn, mod-97, ipaddress) only run on candidates the regex already found.
"""

from __future__ import annotations

import base64
import ipaddress
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

import phonenumbers

from agentaudit.classifier._literals import required_literals

_MAXSIZE: Final = sys.maxsize

# ----------------------------------------------------------------------------- key names

_CAMEL1: Final = re.compile(r"([a-z0-9])([A-Z])")
_CAMEL2: Final = re.compile(r"([A-Z]+)([A-Z][a-z])")
_NONWORD: Final = re.compile(r"[\W_]+")


@lru_cache(maxsize=8192)
def split_words(name: str) -> tuple[str, ...]:
    """`getUserEmail`, `get_user.email`, `Get user email` -> ('get', 'user', 'email')."""
    s = _CAMEL2.sub(r"\1 \2", _CAMEL1.sub(r"\1 \2", name)).lower()
    return tuple(w for w in _NONWORD.split(s) if w)


def suffix_lookup(norm: str, table: tuple[tuple[str, str | None], ...]) -> tuple[bool, str | None]:
    """First entry whose suffix ends `norm` at a word boundary: (matched, type or None)."""
    for suffix, typ in table:
        if norm == suffix or norm.endswith("_" + suffix):
            return True, typ
    return False, None


# ----------------------------------------------------------------------------- secrets

# The header of a PEM private key; its body runs to the next "-----END …-----" (found with
# str.find, so many headers without an end cost linear time, not a scan each).
PEM_HEADER: Final = re.compile(r"-----BEGIN (?:[A-Z0-9]{1,16} ){0,4}PRIVATE KEY(?: BLOCK)?-----")
PEM_MAX: Final = 16_384
DB_URL: Final = re.compile(
    r"\b(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|rediss?|amqps?|mssql|sqlserver|oracle|"
    r"cockroachdb|clickhouse|jdbc:[a-z]+|snowflake|neo4j(?:\+s)?|couchbase)://"
    r"[^\s:/@'\"]{0,256}:[^\s@/'\"]{1,256}@[^\s/'\",;]{1,253}(?:/[^\s'\",;]{0,512})?",
    re.I,
)
ADO_CONN: Final = re.compile(
    r"\b(?:server|data source|host)\s{0,8}=[^;'\"]{1,256};[^'\"\n]{0,512}?\b(?:password|pwd)\s{0,8}=\s{0,8}"
    r"[^;'\"\s]{1,256}",
    re.I,
)
URL_CREDS: Final = re.compile(
    r"\b(?:https?|ftp|sftp|ssh|git)://[^\s:/@'\"]{1,256}:[^\s@/'\"]{3,256}@[\w.-]{1,253}"
)
# No leading look-behind: a literal first character lets the regex engine skip ahead fast; the
# character before a match is checked in Python instead.
VENDOR_KEY: Final = re.compile(
    r"(?:"
    r"sk-(?:proj-|ant-(?:api\d\d-|admin\d\d-)?|svcacct-|admin-)?[A-Za-z0-9_-]{20,}"
    r"|[sr]k_(?:live|test)_[A-Za-z0-9]{16,}"
    r"|(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA)[0-9A-Z]{16}"
    r"|gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,}"
    r"|xox[abposr]-[A-Za-z0-9-]{10,}|xapp-\d-[A-Za-z0-9-]{10,}"
    r"|hf_[A-Za-z0-9]{30,}|AIza[0-9A-Za-z_-]{35}|glpat-[A-Za-z0-9_-]{20,}"
    r"|SG\.[\w-]{16,}\.[\w-]{20,}|npm_[A-Za-z0-9]{36,}|pypi-[A-Za-z0-9_-]{50,}"
    r"|gl(?:rt|ptt|dt)-[A-Za-z0-9_-]{20,}|ATATT3[A-Za-z0-9_-]{60,}"
    r"|AGE-SECRET-KEY-1[0-9A-Z]{50,}"
    r"|dop_v1_[a-f0-9]{64}|shp(?:at|ss|ca|pa)_[a-fA-F0-9]{32}|sq0(?:atp|csp)-[\w-]{20,}"
    r"|key-[0-9a-f]{32}|lin_api_[A-Za-z0-9]{30,}|gsk_[A-Za-z0-9]{40,}|r8_[A-Za-z0-9]{30,}"
    r"|whsec_[A-Za-z0-9]{20,}|pk_live_[A-Za-z0-9]{20,}|ntn_[A-Za-z0-9]{30,}"
    r"|SK[0-9a-f]{32}(?![0-9A-Za-z])|hv[sb]\.[A-Za-z0-9_-]{24,}|dapi[0-9a-f]{32}(?:-\d)?"
    # platform tokens by their documented prefixes (Doppler, Postman, Grafana, New Relic, Fly,
    # Pulumi, Terraform Cloud, Docker Hub, Perplexity, Bitbucket, JFrog, CircleCI, Mapbox,
    # Netlify, Render, Supabase, PlanetScale, Neon, Figma, Heroku,
    # Cloudflare's origin CA, Sentry)
    r"|dp\.(?:pt|st|ct|sa|scim|audit)\.[A-Za-z0-9]{40,}|PMAK-[a-f0-9]{24}-[a-f0-9]{34}"
    r"|glsa_[A-Za-z0-9]{32}_[a-f0-9]{8}|glc_[A-Za-z0-9+/]{32,}={0,2}|NRAK-[A-Z0-9]{27}"
    r"|fo1_[\w-]{40,}|pul-[a-f0-9]{40}|[A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_=-]{60,}"
    r"|dckr_pat_[\w-]{27,}|pplx-[A-Za-z0-9]{40,}|ATBB[A-Za-z0-9]{32,}|AKCp[A-Za-z0-9]{60,}"
    r"|CCIPAT_[A-Za-z0-9]{20,}_[a-f0-9]{40}|sk\.eyJ[A-Za-z0-9_.-]{50,}|nfp_[A-Za-z0-9]{36,}"
    r"|rnd_[A-Za-z0-9]{32,}|sbp_[a-f0-9]{40}|pscale_(?:tkn|pw|oauth)_[\w.-]{32,}"
    r"|napi_[A-Za-z0-9]{60,}|figd_[\w-]{40,}"
    r"|HRKU-[\w-]{60,}|v1\.0-[a-f0-9]{24}-[a-f0-9]{146}"
    r"|sntry[su]_[A-Za-z0-9+/=_-]{60,}"
    r")"
)
VENDOR_PREFIXES: Final = (
    "sk-", "sk_", "rk_", "AKIA", "ASIA", "AGPA", "AIDA", "AROA", "ANPA", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_",
    "xox", "xapp-", "hf_", "AIza", "glpat-", "SG.", "npm_", "pypi-", "dop_v1_", "shp", "sq0",
    "key-", "lin_api_", "gsk_", "r8_", "whsec_", "pk_live_", "ntn_", "SK", "hvs.", "hvb.", "dapi",
    "glrt-", "glptt-", "gldt-", "ATATT3", "AGE-SECRET-KEY-1",
    "dp.", "PMAK-", "glsa_", "glc_", "NRAK-", "fo1_", "pul-", ".atlasv1.", "dckr_pat_", "pplx-",
    "ATBB", "AKCp", "CCIPAT_", "sk.eyJ", "nfp_", "rnd_", "sbp_", "pscale_", "napi_",
    "figd_", "HRKU-", "v1.0-", "sntry",
)  # fmt: skip
# Secrets that are not one unbroken token: a Telegram bot's token (`<bot id>:AA…`), and the URLs of
# Slack's and Discord's incoming webhooks (whoever holds the URL posts as the integration).
BOT_TOKEN: Final = re.compile(r"\b\d{8,10}:AA[A-Za-z0-9_-]{33}(?![A-Za-z0-9_-])")
WEBHOOK_URL: Final = re.compile(
    r"https://(?:hooks\.slack\.com/services/T[A-Z0-9]{6,12}/B[A-Z0-9]{6,12}/[A-Za-z0-9]{20,32}"
    r"|(?:canary\.|ptb\.)?discord(?:app)?\.com/api/webhooks/\d{15,21}/[A-Za-z0-9_-]{50,100})"
)
# Vendor keys are long unbroken tokens: one cheap char-class scan finds the few candidates.
LONG_TOKEN: Final = re.compile(r"[A-Za-z0-9_.+/-]{16,}")
SECRET_WORDS: Final = ("key", "token", "secret", "pass", "pwd", "auth", "credential", "dsn")
JWT: Final = re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}")
BEARER: Final = re.compile(r"\b(?:Bearer|Token)\s{1,8}([A-Za-z0-9._~+/=-]{16,4096})")
BASIC: Final = re.compile(r"\bBasic\s{1,8}([A-Za-z0-9+/]{12,4096}={0,2})")
GOOGLE_TOKEN: Final = re.compile(r"\bya29\.[\w-]{20,}")
# `name = value` / `"name": "value"` / `NAME=value` / `name value` with a secret-sounding name.
# The match starts at the secret word (fast to find); the rest of the key name is recovered by
# scanning back. A quote may be escaped (JSON held inside a JSON string: `\\"password\\": \\"…\\"`).
# The spaced form (`aws_secret_access_key <v>`, `--api-key <v>`) has its own value group `sv`,
# which never holds `=` and ends at a separator, so a spaced match never swallows the next
# `name=value` pair; whether its key is a name at all (a flag, a multi-word identifier) is
# checked by the caller.
KEY_VALUE: Final = re.compile(
    r"(?P<k>(?:key|token|secret|pass(?:word|wd|phrase|code)?|pwd|auth(?:orization)?|"
    r"credentials?|dsn)[\w.-]{0,30})(?:\\?[\"'])?"
    r"(?:\s{0,8}(?:=|:|\s{1,8}is\s{1,8})\s{0,8}(?P<q>\\?[\"']?)(?P<v>[^\s\"',;}{)(<>\[\]]{4,200})"
    r"|[ \t]{1,8}(?P<sq>[\"']?)(?P<sv>[^\s\"',;}{)(<>\[\]=&|]{4,200})(?=[\s\"';|&)]|$))",
    re.I,
)
# SQL's password literal: `CREATE USER x WITH PASSWORD 'v'`, `IDENTIFIED BY 'v'`.
SQL_PASSWORD: Final = re.compile(
    r"\b(?:password|identified\s{1,8}by)\s{1,8}'(?P<v>[^'\n]{4,200})'", re.I
)
# Where a query string or form body's next parameter starts inside a value (`…&id=AKIA…`).
# The signature of a signed URL (Azure SAS `sig=`, S3 and GCS presigned URLs): whoever holds the
# URL holds the access it grants, until it expires.
URL_SIGNATURE: Final = re.compile(
    r"[?&](?:sig|x-amz-signature|x-goog-signature)=([A-Za-z0-9%+/=_-]{16,1024})", re.I
)
NEXT_PARAM: Final = re.compile(r"&[\w.\[\]%-]{1,64}=")
KEY_CHARS: Final = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-")
# A `.netrc` entry: `machine HOST login USER password VALUE` (or `default …`), any whitespace.
NETRC_PASSWORD: Final = re.compile(
    r"\b(?:machine\s{1,64}\S{1,253}|default)\s{1,64}(?:login\s{1,64}\S{1,256}\s{1,64})?"
    r"(?:account\s{1,64}\S{1,256}\s{1,64})?password\s{1,64}(?P<v>\S{1,256})"
)
# A `.pgpass` line: `host:port:database:user:password` (a port or `*` second; five fields,
# so a MAC address's six are none).
PGPASS_LINE: Final = re.compile(
    r"(?m)^[ \t]*[A-Za-z0-9_.*\[\]-]{1,253}:(?:\d{1,5}|\*):[^:\s]{1,128}:[^:\s]{1,128}:"
    r"(?P<v>[^:\s]{1,256})[ \t]*$"
)
# A registry's `"auth": "<base64 of user:token>"` (Docker's config.json, containers' auth.json).
REGISTRY_AUTH: Final = re.compile(r'"auth"\s{0,8}:\s{0,8}"(?P<v>[A-Za-z0-9+/]{12,4096}={0,2})"')


def base64_credentials(value: str) -> bool:
    """Base64 of `user:secret`, both parts printable and the secret at least 4 characters."""
    try:
        raw = base64.b64decode(value, validate=True).decode("ascii")
    except ValueError:  # binascii.Error and UnicodeDecodeError are ValueErrors
        return False
    user, sep, secret = raw.partition(":")
    return bool(sep) and bool(user) and len(secret) >= 4 and raw.isprintable()


PASSWORD_PROSE: Final = re.compile(
    r"\b(?:password|passwort|kennwort|mot de passe|contrase[ñn]a|senha|passcode|pw)\s{0,8}"
    r"(?:is|=|:|ist|est|es)\s{0,8}[\"']?(?P<v>[^\s\"',;]{4,100})",
    re.I,
)
# Short flags that carry a password only because of the program they are given to: MySQL's
# clients take it attached (`-pS3cret`; a spaced `-p db` prompts and names the database), a
# `login` subcommand (docker, podman, helm registry, oc, cf, az…) after `-p`, sshpass after
# `-p`, redis-cli after `-a`, curl and wget after the user in `-u user:password`, the LDAP tools
# after `-w`, SMB clients after the user in `-U user%password`, openssl's `-passin pass:…`,
# zip/7z after `-P`, the Mongo tools after `-p`, `htpasswd -b file user password`. A value of
# digits only is left alone (`-p 8080` is a port wherever the program is unclear).
CLI_PASSWORD: Final = re.compile(
    r"(?:\b(?:mysql\w{0,12}|mariadb[\w-]{0,12})\b[^\n|;&]{0,256}?\s-p"
    r"|\blogin\b[^\n|;&]{0,256}?\s-p\s{1,8}"
    r"|\bsshpass\s{1,8}-p\s{0,8}"
    r"|\bredis-cli\b[^\n|;&]{0,256}?\s-a\s{1,8}"
    r"|\b(?:curl|wget)\b[^\n|;&]{0,256}?\s(?:-u\s{0,8}|--user[= ]\s{0,8})[\"']?[^\s:'\"@/]{1,64}:"
    r"|\bldap(?:search|modify|add|delete|passwd|whoami|compare|modrdn)\b[^\n|;&]{0,256}?\s-w\s{1,8}"
    r"|\b(?:smbclient|rpcclient|smbmap|crackmapexec|nxc|net\s+use)\b[^\n|;&]{0,256}?\s-U\s{0,8}"
    r"[\"']?[^\s%'\"]{1,64}%"
    r"|\bopenssl\b[^\n|;&]{0,256}?\s-pass(?:in|out)?\s{1,8}[\"']?pass:"
    r"|\b(?:zip|unzip|7z|7za)\b[^\n|;&]{0,256}?\s-[Pp]\s{0,8}"
    r"|\b(?:mongo|mongosh|mongodump|mongorestore|mongoexport|mongoimport)\b[^\n|;&]{0,256}?\s-p\s{1,8}"
    r"|\bhtpasswd\s{1,8}(?=(?:-\w{1,4}\s{1,8}){0,3}-\w{0,3}b)(?:-\w{1,4}\s{1,8}){1,4}"
    r"[^\s|;&-][^\s|;&]{0,255}\s{1,8}[^\s|;&-][^\s|;&]{0,63}\s{1,8})"
    r"[\"']?(?P<v>[^\s\"']{4,100})"
)
CLI_PROGRAMS: Final = ("mysql", "mariadb", "login", "sshpass", "redis-cli", "curl", "wget", "ldap",
                "smbclient", "rpcclient", "smbmap", "crackmapexec", "nxc", "openssl", "zip",
                "7z", "mongo", "htpasswd", "net use")  # fmt: skip
# What a masked or redacted payload holds instead of a secret: never a secret again.
MASKED_FORM: Final = re.compile(r"\[(?:SECRET:[\w-]{1,40}:[0-9a-f]{8}|REDACTED:[\w-]{1,40})\]")
_PLACEHOLDER: Final = re.compile(
    r"^(?:\[(?:SECRET:[\w-]{1,40}:[0-9a-f]{8}|REDACTED:[\w-]{1,40})\]|\$\{?[\w.:-]*\}?|\$\([^)]*\)|<[^>]*>|\{\{.*\}\}|%\(?\w*\)?s?|\*+|x{3,}|\.{3,}|"
    r"redacted|\[redacted\]|masked|hidden|changeme|change_me|your[_-]?[\w-]*|null|none|nil|true|"
    r"false|undefined|todo|tbd|example|dummy|placeholder|secret|password|token|env\(.*|os\.\S*|"
    r"process\.env\S*|settings\.\S*|config\.\S*|getenv\S*|str|string|bytes|int|optional\S*|"
    r"required|\w+\(.*)$",
    re.I,
)
_IDENTIFIER: Final = re.compile(r"^[A-Za-z_][A-Za-z_.]*$")


def plausible_secret(value: str, quoted: bool, min_len: int = 6) -> bool:
    """A literal that could be a real credential, not a placeholder or a code identifier."""
    v = value.strip().strip("\"'")
    if len(v) < min_len or len(v) > 4096 or _PLACEHOLDER.match(v):
        return False
    return quoted or not _IDENTIFIER.match(v)


def mask(value: str) -> str:
    """Shown instead of a secret in evidence: enough to recognise, never enough to use."""
    v = value.strip()
    if v.startswith("-----BEGIN"):
        return v.split("\n", 1)[0][:40]
    return (v[:4] if len(v) >= 12 else v[:1]) + "****"


# ----------------------------------------------------------------------------- PII

EMAIL: Final = re.compile(
    r"(?<![\w.+%-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}"
    r"\.[A-Za-z]{2,24}\b(?![.\w-]{0,253}:[/~.$\w])"  # `user@host:/path` (scp, rsync, git): a login
)
# What a login (`ssh -i key.pem deploy@host`) is preceded by on its command line.
LOGIN_BEFORE: Final = re.compile(r"\b(?:ssh|scp|sftp|mosh|ssh-copy-id)\s[^|;&\n'\"]{0,40}$")
IBAN: Final = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b")
IPV4: Final = re.compile(r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w.]|/\d)")
PHONE_INTL: Final = re.compile(r"(?<![\w+])\+\d[\d\s().-]{6,18}\d(?!\d)")
ID_CUES: Final[tuple[tuple[str, re.Pattern[str]], ...]] = (
    (
        "date_of_birth",
        re.compile(
            r"\b(?:date\s+of\s+birth|birth\s*date|d\.?o\.?b\.?|born(?:\s+on|\s+in)?|"
            r"geboren(?:\s+am)?|n[ée]e?\s+le|fecha\s+de\s+nacimiento|data\s+di\s+nascita|"
            r"date\s+de\s+naissance|geburtsdatum|birthday)\s{0,4}[:=]?\s{0,4}"
            r"(?:\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}|\d{1,2}(?:st|nd|rd|th)?\s+[A-Za-zé]+\.?,?\s+\d{4}|"
            r"[A-Za-z]+\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}|\d{4}\b)",
            re.I,
        ),
    ),
    (
        "passport",
        re.compile(
            r"\b(?:passport|reisepass|passeport|pasaporte|passaporto)\s{0,4}(?:no\.?|number|num\.?|"
            r"nr\.?|#|n°|id)?\s{0,4}[:#]?\s{0,4}(?=[A-Z0-9]{0,10}\d)[A-Z0-9]{6,10}\b",
            re.I,
        ),
    ),
    (
        "national_id",
        re.compile(
            r"\b(?:national\s+(?:id|identity|insurance)(?:\s+(?:no\.?|number|card))?|nino|dni|"
            r"nie|bsn|personnummer|aadhaar|pesel|cpf|curp|codice\s+fiscale|steuer-?id|"
            r"personalausweis(?:nummer)?|id\s+card\s+(?:no\.?|number))\s{0,4}[:#]?\s{0,4}"
            r"(?=[A-Z0-9 .-]{0,18}\d)[A-Z0-9][A-Z0-9 .-]{4,16}[A-Z0-9]\b",
            re.I,
        ),
    ),
    (
        "drivers_license",
        re.compile(
            r"\b(?:driv(?:er'?s?|ing)\s+licen[cs]e|f[üu]hrerschein|permis\s+de\s+conduire)\s{0,4}"
            r"(?:no\.?|number|#|nr\.?)?\s{0,4}[:#]?\s{0,4}(?=[A-Z0-9-]{0,17}\d)[A-Z0-9][A-Z0-9-]{4,16}\b",
            re.I,
        ),
    ),
    (
        "person_name",
        re.compile(
            r"(?:\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Herr|Frau|Mme|Mlle|Sr|Sra|Sig|Sig\.ra)\.?\s+"
            r"[A-Z][a-zà-ÿ'-]+|\b(?:[Nn]ame|[Nn]om|[Nn]ombre|[Vv]orname|[Nn]achname|"
            r"[Cc]ustomer|[Pp]atient|[Ee]mployee|[Aa]pplicant|[Cc]andidate)\s{0,4}[:=]\s{0,4}"
            r"[A-Z][a-zà-ÿ'-]+\s+[A-Z][a-zà-ÿ'-]+|\b(?:Dear|Hello|Hi|Bonjour|Hallo|Hola|Liebe|"
            r"Lieber|Cher|Chère)\s+[A-Z][a-zà-ÿ'-]+\s+[A-Z][a-zà-ÿ'-]{2,})"
        ),
    ),
    (
        "address",
        re.compile(
            r"\b\d{1,5}[A-Za-z]?\s+(?:[A-Z][a-zà-ÿ]+\s+){1,3}(?:Street|St|Avenue|Ave|Road|Rd|"
            r"Boulevard|Blvd|Lane|Ln|Drive|Dr|Terrace|Way|Court|Ct|Place|Pl|Square|Sq|Close|"
            r"Crescent|Parkway|Highway|Hwy)\b\.?|\b[A-ZÄÖÜ][a-zäöüß]+(?:straße|strasse|str\.|weg|"
            r"allee|platz|gasse|ring|damm)\s+\d{1,4}[a-z]?\b|\b\d{1,4},?\s+(?:rue|avenue|"
            r"boulevard|bd|place|chemin|impasse|all[ée]e)\s+(?:de\s+|du\s+|des\s+|la\s+)?"
            r"[A-Z][\w'-]+|\b(?:calle|avenida|plaza|via|viale|piazza|corso)\s+[A-Z][\w'-]+"
            r"(?:\s+[A-Z][\w'-]+)?,?\s+\d{1,4}\b"
        ),
    ),
)
SPECIAL_CUES: Final[tuple[tuple[str, re.Pattern[str]], ...]] = (
    (
        "health",
        re.compile(
            r"\b(?:diagnos(?:is|ed|es)|prescri(?:bed|ption)|medication|medical\s+(?:leave|"
            r"condition|history|record|certificate)s?|sick\s+(?:note|leave)|signed\s+off\s+"
            r"(?:sick|until|work)|patient\s+(?:reports|presents|was|is|has|complains)|"
            r"\d+(?:\.\d+)?\s?mg\b|\b(?:hiv|aids)\s*(?:positive|negative|status)|pregnan(?:t|cy)|"
            r"chemotherapy|disabilit(?:y|ies)|mental\s+health|depression|anxiety\s+disorder|"
            r"diabet(?:es|ic)|cancer|tumou?r|migraine|asthma|epilep(?:sy|tic)|dementia|"
            r"schizophreni[ac]|bipolar|autism|adhd|allerg(?:y|ic)\s+to|blood\s+(?:test|pressure|"
            r"type)|icd-?10|krankschreibung|arbeitsunf[äa]hig|diagnose|ordonnance|"
            r"arr[êe]t\s+maladie|diagn[óo]stico|baja\s+m[ée]dica|therapy\s+session|"
            r"rehab(?:ilitation)?\s+(?:clinic|programme|program)|surgery|hospitali[sz]ed|"
            r"atrial\s+fibrillation|chest\s+pain|fracture|infection|covid-?19\s+positive)\b",
            re.I,
        ),
    ),
    (
        "biometric",
        re.compile(
            r"\b(?:(?:fingerprint|face|facial|iris|retina|voice|palm|vein)\s*(?:template|scan|"
            r"print|geometry|embedding|encoding|recognition\s+data|biometrics?)|biometric\s+"
            r"(?:data|template|identifier|sample|enrol?ment)|faceprint|voiceprint)\b",
            re.I,
        ),
    ),
    (
        "genetic",
        re.compile(
            r"\b(?:dna\s+(?:sample|test|profile|sequence|data|kit|results?)|raw\s+dna|genotypes?|"
            r"genome|genetic\s+(?:test|data|marker|profile|predisposition|condition)|"
            r"snp\s+(?:genotypes?|data|array)|brca[12]\s+(?:mutation|positive|carrier)|"
            r"rs\d{3,}\s+[ACGT]{2})\b",
            re.I,
        ),
    ),
    (
        "religion",
        re.compile(
            r"\b(?:religio(?:n|us\s+(?:belief|affiliation|view)s?)\s*[:=]|(?:is|as|a|practising|"
            r"practicing|devout)\s+(?:a\s+)?(?:muslim|christian|jew|jewish|hindu|buddhist|"
            r"catholic|protestant|sikh|atheist|mormon|evangelical)\b|religious\s+"
            r"(?:belief|affiliation|holiday\s+request)|konfession\s*[:=]|confession\s+religieuse)",
            re.I,
        ),
    ),
    (
        "ethnicity",
        re.compile(
            r"\b(?:ethnic(?:ity|\s+origin|\s+background|\s+group)|racial\s+(?:origin|background)|"
            r"race\s*[:=]\s*\w|ethnische\s+herkunft|origine\s+ethnique|origen\s+[ée]tnico)",
            re.I,
        ),
    ),
    (
        "sexual_orientation",
        re.compile(
            r"\b(?:sexual\s+orientation|sexuality\s*[:=]|(?:is|identifies\s+as|came\s+out\s+as)\s+"
            r"(?:gay|lesbian|bisexual|homosexual|queer|asexual|pansexual)|sexuelle\s+"
            r"orientierung|orientation\s+sexuelle|orientaci[óo]n\s+sexual)\b",
            re.I,
        ),
    ),
    (
        "political_opinion",
        re.compile(
            r"\b(?:political\s+(?:opinion|views?|affiliation|party|leaning)s?|party\s+"
            r"(?:membership|affiliation)|(?:member|supporter)\s+of\s+the\s+[\w-]+(?:\s+[\w-]+)?\s+"
            r"party|votes?\s+for\s+the\s+\w+|voting\s+intention|parteimitglied\w*|"
            r"opinion\s+politique)\b",
            re.I,
        ),
    ),
    (
        "trade_union",
        re.compile(
            r"\b(?:trade[\s-]union|union\s+(?:member(?:ship)?|dues|rep(?:resentative)?|steward|"
            r"card)|labou?r\s+union|gewerkschaft\w*|syndicat|sindicato|betriebsrat)\b",
            re.I,
        ),
    ),
)
# Words that must occur (as whole letter-runs of the lower-cased text) before a cue regex is run;
# a set intersection is far cheaper than a regex search, and most payloads carry none of them.
_W: Final = frozenset
CUE_TRIGGERS: Final[dict[str, tuple[frozenset[str], tuple[str, ...]]]] = {
    "date_of_birth": (
        _W(
            [
                "date",
                "birth",
                "dob",
                "born",
                "geboren",
                "né",
                "née",
                "fecha",
                "nacimiento",
                "nascita",
                "naissance",
                "geburtsdatum",
                "birthday",
                "birthdate",
            ]
        ),
        ("d.o.b",),
    ),
    "passport": (_W(["passport", "reisepass", "passeport", "pasaporte", "passaporto"]), ()),
    "national_id": (
        _W(
            [
                "national",
                "nino",
                "dni",
                "nie",
                "bsn",
                "personnummer",
                "aadhaar",
                "pesel",
                "cpf",
                "curp",
                "codice",
                "steuer",
                "personalausweis",
                "personalausweisnummer",
                "card",
            ]
        ),
        (),
    ),
    "drivers_license": (
        _W(
            [
                "driver",
                "drivers",
                "driving",
                "führerschein",
                "fuhrerschein",
                "permis",
                "licence",
                "license",
            ]
        ),
        (),
    ),
    "person_name": (
        _W(
            [
                "mr",
                "mrs",
                "ms",
                "miss",
                "mx",
                "dr",
                "herr",
                "frau",
                "mme",
                "mlle",
                "sr",
                "sra",
                "sig",
                "name",
                "nom",
                "nombre",
                "vorname",
                "nachname",
                "customer",
                "patient",
                "employee",
                "applicant",
                "candidate",
                "dear",
                "hello",
                "hi",
                "bonjour",
                "hallo",
                "hola",
                "liebe",
                "lieber",
                "cher",
                "chère",
            ]
        ),
        (),
    ),
    "address": (
        _W(
            [
                "street",
                "st",
                "avenue",
                "ave",
                "road",
                "rd",
                "boulevard",
                "blvd",
                "lane",
                "ln",
                "drive",
                "dr",
                "terrace",
                "way",
                "court",
                "ct",
                "place",
                "pl",
                "square",
                "sq",
                "close",
                "crescent",
                "parkway",
                "highway",
                "hwy",
                "rue",
                "bd",
                "chemin",
                "impasse",
                "allée",
                "allee",
                "calle",
                "avenida",
                "plaza",
                "via",
                "viale",
                "piazza",
                "corso",
            ]
        ),
        ("straße", "strasse", "str.", "weg ", "allee", "platz", "gasse", "ring ", "damm"),
    ),
    "health": (
        _W(
            [
                "diagnosis",
                "diagnosed",
                "diagnoses",
                "prescribed",
                "prescription",
                "medication",
                "medications",
                "medical",
                "sick",
                "signed",
                "patient",
                "mg",
                "hiv",
                "aids",
                "pregnant",
                "pregnancy",
                "chemotherapy",
                "disability",
                "disabilities",
                "mental",
                "depression",
                "anxiety",
                "diabetes",
                "diabetic",
                "cancer",
                "tumor",
                "tumour",
                "migraine",
                "asthma",
                "epilepsy",
                "epileptic",
                "dementia",
                "schizophrenia",
                "schizophrenic",
                "bipolar",
                "autism",
                "adhd",
                "allergy",
                "allergic",
                "blood",
                "icd",
                "krankschreibung",
                "arbeitsunfähig",
                "arbeitsunfahig",
                "diagnose",
                "ordonnance",
                "arrêt",
                "arret",
                "diagnóstico",
                "diagnostico",
                "baja",
                "therapy",
                "rehab",
                "rehabilitation",
                "surgery",
                "hospitalised",
                "hospitalized",
                "atrial",
                "chest",
                "fracture",
                "infection",
                "covid",
            ]
        ),
        (),
    ),
    "biometric": (
        _W(
            [
                "fingerprint",
                "face",
                "facial",
                "iris",
                "retina",
                "voice",
                "palm",
                "vein",
                "biometric",
                "biometrics",
                "faceprint",
                "voiceprint",
            ]
        ),
        (),
    ),
    "genetic": (
        _W(["dna", "genotype", "genotypes", "genome", "genetic", "snp", "brca", "rs", "raw"]),
        (),
    ),
    "religion": (
        _W(
            [
                "religion",
                "religious",
                "muslim",
                "christian",
                "jew",
                "jewish",
                "hindu",
                "buddhist",
                "catholic",
                "protestant",
                "sikh",
                "atheist",
                "mormon",
                "evangelical",
                "konfession",
                "confession",
            ]
        ),
        (),
    ),
    "ethnicity": (
        _W(
            [
                "ethnic",
                "ethnicity",
                "racial",
                "race",
                "ethnische",
                "ethnique",
                "étnico",
                "etnico",
                "origen",
            ]
        ),
        (),
    ),
    "sexual_orientation": (
        _W(
            [
                "sexual",
                "sexuality",
                "gay",
                "lesbian",
                "bisexual",
                "homosexual",
                "queer",
                "asexual",
                "pansexual",
                "sexuelle",
                "orientation",
                "orientación",
                "orientacion",
            ]
        ),
        (),
    ),
    "political_opinion": (
        _W(
            [
                "political",
                "party",
                "votes",
                "vote",
                "voting",
                "parteimitglied",
                "parteimitgliedschaft",
                "politique",
            ]
        ),
        (),
    ),
    "trade_union": (
        _W(
            [
                "trade",
                "union",
                "labor",
                "labour",
                "gewerkschaft",
                "gewerkschaftsmitglied",
                "syndicat",
                "sindicato",
                "betriebsrat",
            ]
        ),
        (),
    ),
}
ALL_CUE_WORDS: Final = frozenset().union(*(w for w, _ in CUE_TRIGGERS.values()))
ALL_CUE_SUBS: Final = tuple(sorted({t for _, subs in CUE_TRIGGERS.values() for t in subs}))
# the same, inverted: the types each trigger word or part may announce (one look-up per trigger
# the text holds, not one set test per type)
CUE_TYPES_BY_TRIGGER: Final[dict[str, frozenset[str]]] = {
    t: frozenset(typ for typ, (ws, subs) in CUE_TRIGGERS.items() if t in ws or t in subs)
    for t in ALL_CUE_WORDS | frozenset(ALL_CUE_SUBS)
}


@dataclass(frozen=True, slots=True)
class AnyOf:
    """Whether any of some substrings occurs. Compiled, one C substring search per needle costs
    less than one regex alternation of them (sre tries the branches one by one at every
    position of the text): a third of it for the short texts of most calls, and less than it
    for long ones (each search skips through the text; see docs/performance-history.md)."""

    needles: tuple[str, ...]

    def found_in(self, text: str) -> bool:
        return any(needle in text for needle in self.needles)

    def present_in(self, text: str) -> tuple[str, ...]:
        """The needles `text` holds: a part of `text` can hold no other."""
        return tuple(needle for needle in self.needles if needle in text)


def any_of(needles: tuple[str, ...] | list[str]) -> AnyOf:
    return AnyOf(tuple(sorted(set(needles))))


_FOLDED: Final = re.compile(r"\(\?[aiLmsux-]*i")  # an inline flag that turns on ignoring case


class Gated:
    """A regex searched only in texts that hold one of the literals each of its matches holds
    (derived from the regex by `required_literals`, so never stale). For regexes led by words
    or alternations (`\\b(?:socket\\.socket|fsockopen|…)`), which the regex engine tries at
    every character: a substring search per literal is a C scan that skips. A regex that
    ignores case is gated only in ASCII text (lower-cased), where case folding is plain; the
    literals of one that does not are looked for as written."""

    __slots__ = ("regex", "needles", "folded")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.regex = re.compile(pattern, flags)
        self.folded = bool(self.regex.flags & re.IGNORECASE) or _FOLDED.search(pattern) is not None
        needles = required_literals(pattern, False, not self.folded, flags)
        if needles is not None and self.folded and not all(n.isascii() for n in needles):
            needles = None  # `ſ` matches `s` when case is ignored: only ASCII literals gate
        if needles is not None:  # a literal holding another is found with it: one search
            needles = tuple(n for n in needles if not any(m != n and m in n for m in needles))
        self.needles = needles

    def may_match(self, text: str) -> bool:
        needles = self.needles
        if needles is None:
            return True
        if self.folded:
            if not text.isascii():
                return True
            text = text.lower()
        return any(n in text for n in needles)

    def search(self, text: str, pos: int = 0, endpos: int = _MAXSIZE) -> re.Match[str] | None:
        return self.regex.search(text, pos, endpos) if self.may_match(text) else None

    def match(self, text: str, pos: int = 0, endpos: int = _MAXSIZE) -> re.Match[str] | None:
        return self.regex.match(text, pos, endpos) if self.may_match(text) else None

    def finditer(self, text: str, pos: int = 0, endpos: int = _MAXSIZE) -> list[re.Match[str]]:
        return list(self.regex.finditer(text, pos, endpos)) if self.may_match(text) else []


ANY_VENDOR_PREFIX: Final = any_of(VENDOR_PREFIXES)
ANY_SECRET_WORD: Final = any_of(SECRET_WORDS)
ANY_CLI_PROGRAM: Final = any_of(CLI_PROGRAMS)
ANY_CUE_SUB: Final = any_of(ALL_CUE_SUBS)
LETTERS: Final = re.compile(r"[^\W\d_]+")
DIGIT: Final = re.compile(r"\d")


def _keeping(keep: str) -> bytes:
    """A `bytes.translate` table: the bytes of `keep` stay, every other byte becomes a space."""
    return bytes(b if chr(b) in keep else 0x20 for b in range(256))


ASCII_LETTER_BYTES: Final = _keeping("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
ASCII_ALNUM_BYTES: Final = _keeping(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
)
_ASCII_DIGITS: Final = b"0123456789"


def ascii_runs(text: str, table: bytes) -> list[str]:
    """The maximal runs of the characters `table` keeps (see `_keeping`) in an ASCII text. Two
    plain C loops over the bytes (translate, split): a regex's `findall` of the same runs tries
    a match at every character, four to seven times the cost from a hundred characters on."""
    return text.encode("ascii").translate(table).decode("ascii").split()


_LONG_TOKEN_BYTES: Final = _keeping(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.+/-"
)  # LONG_TOKEN's characters


def long_tokens(text: str) -> list[tuple[int, str]]:
    """(start, token) of each LONG_TOKEN match, in order; in ASCII text by bytes (see
    `ascii_runs`): each run of 16 or more is found after the one before it, and the shorter
    runs between cannot hold it."""
    if not text.isascii():
        return [(m.start(), m.group(0)) for m in LONG_TOKEN.finditer(text)]
    return ascii_runs_at(text, _LONG_TOKEN_BYTES, 0, len(text), 16)


# What a character is, for the detectors that need digits (`shape_of`): a digit, a letter, a
# space, a hyphen, or anything else.
_SHAPE_BYTES: Final = bytes(
    0x30 if chr(b).isdigit() and b < 128
    else 0x61 if chr(b).isalpha() and b < 128
    else b if b in (0x20, 0x2D)
    else 0x5F
    for b in range(256)
)  # fmt: skip


def shape_of(text: str) -> str | None:
    """An ASCII text's shape (`AB12-3 x` -> `aa00-0 a`), same length, for finding where a value
    can start (`literal_led`); None for other text (its digits and letters are Unicode's)."""
    if not text.isascii():
        return None
    return text.encode("ascii").translate(_SHAPE_BYTES).decode("ascii")


# A regex call costs about as much as this many characters of a regex's own scan: a match is
# tried at each literal when the literals are rarer than that, else searched for from each.
_CALL_IN_CHARACTERS: Final = 16


def literal_led(
    rx: re.Pattern[str],
    text: str,
    find_in: str,
    literals: tuple[str, ...],
    before: int,
    start: int = 0,
    end: int = -1,
) -> list[re.Match[str]]:
    """`list(rx.finditer(text, start, end))` for a regex each of whose matches holds one of
    `literals` in `find_in` (`text` itself, its lower-cased or its shape: the same length) at
    most `before` characters after the match's start, and is never empty. Text that holds no
    literal costs a substring search per literal (C, skipping), not a regex step per
    character. Where the literals are rare, a match is tried only where one can start (at most
    `before` characters before a literal); where they are common, searched for from the next
    literal on (never more than one whole scan)."""
    stop = len(text) if end < 0 else end
    out: list[re.Match[str]] = []
    count = 0
    for lit in literals:
        count += find_in.count(lit, start, stop)
    if count == 0:
        return out
    tries = count * (before + 1) * _CALL_IN_CHARACTERS < stop - start
    pos = start  # matches still to find start here or later (and so do their literals)
    # each literal's next occurrence, searched again only once passed (-1: no more), so the
    # text is read once per literal however many matches there are
    nexts = [find_in.find(lit, pos, stop) for lit in literals]
    while True:
        q = -1
        for k, lit in enumerate(literals):
            i = nexts[k]
            if 0 <= i < pos:
                i = nexts[k] = find_in.find(lit, pos, stop)
            if i >= 0 and (q < 0 or i < q):
                q = i
        if q < 0:
            return out
        m = None
        if tries:
            p = max(pos, q - before)
            while p <= q and m is None:
                m = rx.match(text, p, stop)
                p += 1
            if m is None:
                pos = q + 1
                continue
        else:
            m = rx.search(text, max(pos, q - before), stop)
            if m is None:
                return out
        out.append(m)
        pos = m.end()


def shape_led(
    rx: re.Pattern[str], text: str, shape: str | None, literal: str, before: int
) -> Iterable[re.Match[str]]:
    """`rx.finditer(text)`, searched from each `literal` of the text's shape (`shape_of`; None:
    the whole text scanned), as `literal_led` says."""
    if shape is None:
        return rx.finditer(text)
    return literal_led(rx, text, shape, (literal,), before)


def ascii_runs_at(
    text: str, table: bytes, start: int, stop: int, min_len: int = 1
) -> list[tuple[int, str]]:
    """(position, run) of the runs of `min_len` or more that `ascii_runs` finds in the ASCII
    text[start:stop]: each is found after the one before it (only the table's spaces and runs
    too short to hold it are between)."""
    runs = text[start:stop].encode("ascii").translate(table).decode("ascii")
    out: list[tuple[int, str]] = []
    pos = 0
    for run in runs.split():
        if len(run) >= min_len:
            pos = runs.find(run, pos)
            out.append((start + pos, run))
            pos += len(run)
    return out


WORD_BYTES: Final = _keeping("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_")


def whole_words(rx: re.Pattern[str], text: str, size: int) -> list[re.Match[str]]:
    """`list(rx.finditer(text))` for a regex whose every match is a whole word (`(?<!\\w)…
    (?!\\w)`) of `size` ASCII letters and digits: in ASCII text, tried only at the words of
    that size, not at every character."""
    if not text.isascii():
        return list(rx.finditer(text))
    out: list[re.Match[str]] = []
    for pos, word in ascii_runs_at(text, WORD_BYTES, 0, len(text), size):
        if len(word) == size:
            m = rx.match(text, pos)
            if m is not None:
                out.append(m)
    return out


def ascii_count(text: str, chars: bytes) -> int:
    """How many characters of the ASCII `text` are among `chars` (in C: the rest deleted)."""
    raw = text.encode("ascii")
    return len(raw) - len(raw.translate(None, chars))


def letter_runs(text: str) -> list[str]:
    """Every maximal run of letters (no digits, no underscore), as LETTERS finds them."""
    return ascii_runs(text, ASCII_LETTER_BYTES) if text.isascii() else LETTERS.findall(text)


_ZERO_DIGITS: Final = bytes(0x30 if 0x30 <= b <= 0x39 else b for b in range(256))


def digits_as_zero(text: str) -> str:
    """`DIGIT.sub("0", text)`: every digit written as 0 (in C for ASCII text)."""
    if text.isascii():
        return text.encode("ascii").translate(_ZERO_DIGITS).decode("ascii")
    return DIGIT.sub("0", text)


def digit_count(text: str) -> int:
    """How many characters `\\d` matches in `text` (counted in C for ASCII text)."""
    return ascii_count(text, _ASCII_DIGITS) if text.isascii() else len(DIGIT.findall(text))


URL: Final = re.compile(
    r"\b(?:https?|wss?|ftp|sftp)://(?:[^\s/@'\"]{0,256}@)?([A-Za-z0-9.-]{1,253}|\[[0-9a-f:]{2,45}\])",
    re.I,
)
_URL_SCHEME_MAX: Final = 5  # "https": the "://" of a URL match is at most this far from its start


def url_matches(text: str) -> list[re.Match[str]]:
    """`URL.finditer(text)`, searched from each "://"."""
    return literal_led(URL, text, text, ("://",), _URL_SCHEME_MAX)


def iban_ok(raw: str) -> bool:
    s = raw.replace(" ", "")
    if not 15 <= len(s) <= 34:
        return False
    moved = s[4:] + s[:4]
    num = "".join(str(int(c, 36)) for c in moved)
    return int(num) % 97 == 1


@lru_cache(maxsize=4096)
def public_ip(text: str) -> bool:
    """A global unicast address: private, loopback, link-local, reserved are infrastructure."""
    try:
        ip = ipaddress.ip_address(text.strip("[]"))
    except ValueError:
        return False
    return ip.is_global and not ip.is_multicast


# Networks of an organisation's own infrastructure: private (RFC 1918, ULA), shared (CGNAT),
# loopback, link-local, "this network". Documentation ranges (192.0.2.0/24, 198.51.100.0/24,
# 203.0.113.0/24, 2001:db8::/32) are not among them: as a destination they stand for a public
# host (as personal data they are no one's: `public_ip`).
_INTERNAL_NETS: Final = tuple(
    ipaddress.ip_network(n)
    for n in (
        "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "127.0.0.0/8",
        "169.254.0.0/16", "0.0.0.0/8", "fc00::/7", "fe80::/10", "::1/128", "::/128",
    )
)  # fmt: skip


@lru_cache(maxsize=4096)
def outside_ip(text: str) -> bool:
    """A destination address outside the organisation's own networks (see _INTERNAL_NETS)."""
    try:
        ip = ipaddress.ip_address(text.strip("[]"))
    except ValueError:
        return False
    if ip.is_multicast or str(ip) == "255.255.255.255":
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return outside_ip(str(ip.ipv4_mapped))
    return not any(ip in net for net in _INTERNAL_NETS if net.version == ip.version)


@lru_cache(maxsize=4096)
def phone_ok(candidate: str, region: str | None = None) -> bool:
    try:
        num = phonenumbers.parse(candidate, region)
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_valid_number(num)


@dataclass(slots=True)
class Span:
    start: int
    end: int
