"""Issue 24 follow-up: secrets written in the shapes agents pass them in — query strings and
form bodies, command-line flags and `<secret-named word> <value>` pairs, `export` and `.env`
lines, JSON held as text — are found (so masked), and what only looks like one is not:
placeholders, the masked form itself, `--password-file`, port flags.

Labelled by hand before the detectors were written: each case names the value a human reads as
the secret, and the test checks the classifier found exactly that value (not the value with the
next query parameter glued on), then that the stored event holds it nowhere."""

from __future__ import annotations

import json
from typing import Any

import pytest

from agentaudit.classifier import classify, find_secrets
from agentaudit.models import EventIn, Policy
from agentaudit.pipeline import evaluate

KEY = bytes(range(32))
AWS_ID = "AKIAZ7Q4JX2M8N5P3R6T"
AWS_SECRET = "q8Jf2Lw9Xr4Tz7Vb1Nm6Kp3Hs5Dg0Ya2Ue8Ci4O"
AWS_SECRET_SLASH = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYz8Qp3LmNo1"
PW = "Hunt3r-22x"
HEX = "9f8e7d6c5b4a39281716a0b1c2d3e4f5"

# (action, data, [(type, value)] the classifier must find, each value exactly as written)
POSITIVES: list[tuple[str, dict[str, Any], list[tuple[str, str]]]] = [
    # query strings and form bodies: a value ends where the next parameter starts
    (
        "http_get",
        {"url": f"https://cfg.example.com/v1?aws_secret_access_key={AWS_SECRET}&id={AWS_ID}"},
        [("api_key", AWS_SECRET), ("api_key", AWS_ID)],
    ),
    (
        "http_get",
        {"url": f"https://hooks.example.com/notify?channel=ops&access_token={HEX}&format=json"},
        [("access_token", HEX)],
    ),
    (
        "http_post",
        {
            "url": "https://auth.example.com/oauth/token",
            "body": f"grant_type=password&username=bob&password={PW}&client_id=web",
        },
        [("password", PW)],
    ),
    (
        "http_post",
        {"body": f"client_id=web&client_secret={HEX}"},
        [("api_key", HEX)],
    ),
    # `<secret-named word> <value>` on a command line
    (
        "run_shell",
        {"command": f"aws configure set aws_secret_access_key {AWS_SECRET}"},
        [("api_key", AWS_SECRET)],
    ),
    (
        "run_shell",
        {"command": f"aws configure set aws_secret_access_key {AWS_SECRET_SLASH} --profile prod"},
        [("api_key", AWS_SECRET_SLASH)],
    ),
    ("run_shell", {"command": f"yarn config set npmAuthToken {HEX}"}, [("access_token", HEX)]),
    # flags named for a secret, spaced or with `=`
    (
        "run_shell",
        {"command": f"mysqladmin --user=root --password {PW} status"},
        [("password", PW)],
    ),
    (
        "run_shell",
        {"command": f"deployctl push --api-key {HEX} --env prod"},
        [("api_key", HEX)],
    ),
    (
        "run_shell",
        {"command": f"vault login -method=userpass username=bob --db-password '{PW}'"},
        [("password", PW)],
    ),
    # short flags whose program makes them a password
    ("run_shell", {"command": f"mysql -h db.internal -u root -p{PW} shop"}, [("password", PW)]),
    (
        "run_shell",
        {"command": "mysqldump -uroot -pZq7kL2pW9x shop > /tmp/shop.sql"},
        [("password", "Zq7kL2pW9x")],
    ),
    (
        "run_shell",
        {"command": f"docker login -u bob -p {PW} registry.example.com"},
        [("password", PW)],
    ),
    ("run_shell", {"command": f"redis-cli -h cache -a {PW} ping"}, [("password", PW)]),
    (
        "run_shell",
        {"command": f"curl -u bob:{PW} https://api.example.com/v1/me"},
        [("password", PW)],
    ),
    # environment variables
    (
        "run_shell",
        {"command": f"export GITHUB_TOKEN={HEX} && gh repo list"},
        [("access_token", HEX)],
    ),
    (
        "run_shell",
        {"command": f'$env:OPENAI_API_KEY = "{HEX}"; python run.py'},
        [("api_key", HEX)],
    ),
    # short flags that carry a password only for the program they are given to
    ("run_shell", {"command": f"ldapsearch -x -D cn=admin,dc=acme,dc=org -w {PW} -b dc=acme,dc=org"}, [("password", PW)]),
    ("run_shell", {"command": f"smbclient //fs01/finance -U svc_backup%{PW} -c ls"}, [("password", PW)]),
    ("run_shell", {"command": f"openssl pkcs12 -in bundle.p12 -nodes -passin pass:{PW}"}, [("password", PW)]),
    ("run_shell", {"command": f"zip -r -P {PW} export.zip reports/"}, [("password", PW)]),
    ("run_shell", {"command": f"mongodump -u backup -p {PW} --authenticationDatabase admin"}, [("password", PW)]),
    ("run_shell", {"command": f"htpasswd -b -B /etc/nginx/.htpasswd alice {PW}"}, [("password", PW)]),
    # .env lines in a file's content
    (
        "write_file",
        {
            "path": ".env",
            "content": f"APP_ENV=prod\nPORT=8080\nSTRIPE_SECRET_KEY={HEX}\nDB_PASSWORD={PW}\n",
        },
        [("api_key", HEX), ("password", PW)],
    ),
    # names the vocabulary knows by their last words (access key, consumer key)
    (
        "write_file",
        {"content": "MINIO_ACCESS_KEY=Q3VQ8ZR2X7PL0M4N\nTWITTER_CONSUMER_KEY=xvz1evFS4wEEPTGEFPHBog\n"},
        [("api_key", "Q3VQ8ZR2X7PL0M4N"), ("api_key", "xvz1evFS4wEEPTGEFPHBog")],
    ),
    ("configure", {"s3": {"access_key": "Q3VQ8ZR2X7PL0M4N", "bucket": "logs"}}, [("api_key", "Q3VQ8ZR2X7PL0M4N")]),
    # JSON held as text, plain or escaped inside a log line
    (
        "send_message",
        {"text": json.dumps({"user": "bob", "password": PW})},
        [("password", PW)],
    ),
    (
        "write_log",
        {"line": 'POST /login body="' + json.dumps({"user": "bob", "password": PW}).replace('"', '\\"') + '"'},
        [("password", PW)],
    ),
    # signed URLs: the signature grants the access (Azure SAS, S3 and GCS presigned URLs)
    (
        "http_get",
        {"url": "https://acct.blob.core.windows.net/c/b.csv?sv=2022-11-02&sp=r&se=2026-12-31T00:00:00Z&sig=Xk7%2Bq9v2mYl3nR8tPq1ZsW4uVb6cD0eF9gH2jK5LmN8%3D"},
        [("access_token", "Xk7%2Bq9v2mYl3nR8tPq1ZsW4uVb6cD0eF9gH2jK5LmN8%3D")],
    ),
    (
        "download",
        {"link": f"https://b.s3.amazonaws.com/k.csv?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature={HEX}{HEX}&X-Amz-Expires=900"},
        [("access_token", HEX + HEX)],
    ),
    # a `.netrc`'s entry, a registry's base64 login, a URL whose user is empty
    (
        "write_file",
        {"path": "/home/dev/.netrc", "content": f"machine api.heroku.com\n  login me@example.com\n  password {PW}\n"},
        [("password", PW)],
    ),
    (
        "write_file",
        {"path": "/home/dev/.docker/config.json", "content": '{"auths": {"ghcr.io": {"auth": "ZGV2OmdocF9hQmNEZUZnSGlKa0xtTm9QcVJzVHVWd1h5WjAxMjM0NTY3ODk="}}}'},
        [("password", "ZGV2OmdocF9hQmNEZUZnSGlKa0xtTm9QcVJzVHVWd1h5WjAxMjM0NTY3ODk=")],
    ),
    (
        "send_message",
        {"text": f"cache is at redis://:{PW}@cache.internal:6379/0"},
        [("db_connection_string", f"redis://:{PW}@cache.internal:6379/0")],
    ),
    # a second probe (20 shapes written before running; 4 were stored in clear): GitLab's other
    # tokens (a runner's, a deploy token), an Atlassian API token (masked up to its `=`: what
    # follows is a checksum), an age secret key, a `.pgpass` line's password
    ("send_message", {"text": "runner token glrt-2CR8_eVxiioB1QmzPZwa, deploy gldt-Qm7Zx2Lp9Rt4Vw8Yk3Nb"}, [("api_key", "glrt-2CR8_eVxiioB1QmzPZwa"), ("api_key", "gldt-Qm7Zx2Lp9Rt4Vw8Yk3Nb")]),
    ("send_message", {"text": "jira: ATATT3xFfGF0T4JkL9mN2pQ5rS8tU1vW4xY7zA0bC3dE6fG9hJ2kL5mN8pQ1rS4tU7vW0xY3zA6bC9dE2fG5h=0A1B2C3D"}, [("api_key", "ATATT3xFfGF0T4JkL9mN2pQ5rS8tU1vW4xY7zA0bC3dE6fG9hJ2kL5mN8pQ1rS4tU7vW0xY3zA6bC9dE2fG5h")]),
    ("write_file", {"path": "key.txt", "content": "# created: 2026-12-07\nAGE-SECRET-KEY-1QQPQZ8R5S0VXTJXHJ2K9D4M6N8P0Q2R4S6T8V0X2Z4A6C8E0G2J4L6N8QR\n"}, [("api_key", "AGE-SECRET-KEY-1QQPQZ8R5S0VXTJXHJ2K9D4M6N8P0Q2R4S6T8V0X2Z4A6C8E0G2J4L6N8QR")]),
    ("write_file", {"path": "/home/dev/.pgpass", "content": f"db.internal:5432:shop:app:{PW}\n*:*:*:report:Zq7kL2pW9x\n"}, [("password", PW), ("password", "Zq7kL2pW9x")]),
    # an npm token one character longer than the format: masked whole, not its 36 first
    ("write_file", {"path": ".npmrc", "content": "//registry.npmjs.org/:_authToken=npm_Ab3De5Gh7Jk9Mn1Pq3St5Vw7Yz9Bc1Ef3Gh5Jx\n"}, [("api_key", "npm_Ab3De5Gh7Jk9Mn1Pq3St5Vw7Yz9Bc1Ef3Gh5Jx")]),
    # platform tokens by their documented prefixes (2026-12-08: each was stored in clear)
    ("send_message", {"text": 'doppler: dp.pt.GkRcI1RxuhNCoMHHM3PPNqK4C6L7OzxedHnEiTvf2Se'}, [("api_key", 'dp.pt.GkRcI1RxuhNCoMHHM3PPNqK4C6L7OzxedHnEiTvf2Se')]),
    ("http_post", {"note": 'postman key PMAK-ea41505a646250d8708ada9f-4c810a8625d84d75fbb4deef904447203c'}, [("api_key", 'PMAK-ea41505a646250d8708ada9f-4c810a8625d84d75fbb4deef904447203c')]),
    ("write_file", {"content": 'GRAFANA_TOKEN=glsa_udExbY9oeJs6uh5B5khljwzGaDjZmvYM_2591ee87'}, [("api_key", 'glsa_udExbY9oeJs6uh5B5khljwzGaDjZmvYM_2591ee87')]),
    ("send_message", {"text": 'new relic user key NRAK-AD95P736087QDPJVCGFW6HSH0LC'}, [("api_key", 'NRAK-AD95P736087QDPJVCGFW6HSH0LC')]),
    ("run_command", {"command": 'flyctl deploy --access-token fo1_GkEhnMkhHIsfcmbXVw9wgpj3x3CMbkRUrM7Q8vOSTx0'}, [("api_key", 'fo1_GkEhnMkhHIsfcmbXVw9wgpj3x3CMbkRUrM7Q8vOSTx0')]),
    ("write_file", {"content": 'PULUMI_ACCESS_TOKEN=pul-d65aeff0064e7a580e9ce7dcf7595252a456557b'}, [("api_key", 'pul-d65aeff0064e7a580e9ce7dcf7595252a456557b')]),
    ("write_file", {"content": 'credentials "app.terraform.io" { token = "SSt9swZCOgUTby.atlasv1.pFgCBorsoYTUZbwfzOF1QkZ6ifcbd3H1sYyYELamL8sGbqSoZrzHbtAmEGCDbw7zTuE" }\n'}, [("api_key", 'SSt9swZCOgUTby.atlasv1.pFgCBorsoYTUZbwfzOF1QkZ6ifcbd3H1sYyYELamL8sGbqSoZrzHbtAmEGCDbw7zTuE')]),
    ("run_command", {"command": 'docker login -u acme -p dckr_pat_7BwcLRSRziqHlUrt4eugUjjNJ5a'}, [("api_key", 'dckr_pat_7BwcLRSRziqHlUrt4eugUjjNJ5a')]),
    ("send_message", {"text": 'perplexity: 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'}, [("api_key", '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')]),
    ("send_message", {"text": 'circleci token CCIPAT_3RdpSccAxC31IcniM94hRb_5f5432666f9ac2d3dbc2a8507d530eae01d8824b'}, [("api_key", 'CCIPAT_3RdpSccAxC31IcniM94hRb_5f5432666f9ac2d3dbc2a8507d530eae01d8824b')]),
    ("write_file", {"content": 'MAPBOX_SECRET=sk.eyJ1Ijoi2Q5HVZRR2ocK4skXlSSTQNae68eBj3RpQKTDYvaG9D5IJIvmty1Z5gH6Yz1E'}, [("api_key", 'sk.eyJ1Ijoi2Q5HVZRR2ocK4skXlSSTQNae68eBj3RpQKTDYvaG9D5IJIvmty1Z5gH6Yz1E')]),
    ("send_message", {"text": 'supabase: sbp_3602139d2ec53725f8fa3003c33e32115a6a1183'}, [("api_key", 'sbp_3602139d2ec53725f8fa3003c33e32115a6a1183')]),
    ("run_command", {"command": 'pscale auth login --service-token pscale_tkn_JS43DXrPRSPk7NGIcDTp9HrsNRScr3vBtRXYXwQo260'}, [("api_key", 'pscale_tkn_JS43DXrPRSPk7NGIcDTp9HrsNRScr3vBtRXYXwQo260')]),
    ("send_message", {"text": 'sentry: sntrys_YVKPr5dbgFPoufBNZEb49BdPeeoziRO3tyUCa4HL6FKtZVgKQOwo9tzpuLackBuZhssVxTC6CHOAow4Q'}, [("api_key", 'sntrys_YVKPr5dbgFPoufBNZEb49BdPeeoziRO3tyUCa4HL6FKtZVgKQOwo9tzpuLackBuZhssVxTC6CHOAow4Q')]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("action", "data", "expected"), POSITIVES, ids=[f"p{i}" for i in range(len(POSITIVES))]
)
def test_secret_shapes_are_found_exactly(
    action: str, data: dict[str, Any], expected: list[tuple[str, str]]
) -> None:
    out = classify("agent", action, data)
    found = set(out.found_secrets())
    for typ, value in expected:
        assert (typ, value) in found, (typ, value, found)
    assert out.secret_fields == sorted({t for t, _ in expected})


@pytest.mark.parametrize(
    ("action", "data", "expected"), POSITIVES, ids=[f"p{i}" for i in range(len(POSITIVES))]
)
def test_secret_shapes_are_never_stored(
    action: str, data: dict[str, Any], expected: list[tuple[str, str]]
) -> None:
    event, _ = evaluate(EventIn(agent_id="a", action=action, data=data), Policy(), secret_key=KEY)
    stored = event.model_dump_json()
    for _, value in expected:
        assert value not in stored and json.dumps(value)[1:-1] not in stored
    assert event.masked_fields


MASKED = "[SECRET:aws_secret_key:1a2b3c4d]"

NEGATIVES: list[tuple[str, dict[str, Any]]] = [
    # placeholders, templates and the masked form
    ("run_shell", {"command": "export GITHUB_TOKEN=${GITHUB_TOKEN} && gh repo list"}),
    ("run_shell", {"command": "export API_KEY=<token>"}),
    ("write_file", {"path": ".env", "content": "API_KEY=xxx\nDB_PASSWORD=changeme\nSECRET_KEY=your-secret-key\n"}),
    ("run_shell", {"command": f"aws configure set aws_secret_access_key {MASKED}"}),
    ("write_file", {"content": f"aws_secret_access_key={MASKED}\npassword: [SECRET:password:0a9b8c7d]"}),
    ("configure", {"password": "[SECRET:password:0a9b8c7d]", "api_key": MASKED}),
    ("http_get", {"url": "https://api.example.com/x?token=[SECRET:access_token:0f1e2d3c]&page=2"}),
    ("configure", {"dsn": "postgres://app:[SECRET:db_connection_string:6e0d93a1]@db.prod/orders"}),
    ("http_get", {"headers": {"Authorization": "Bearer [SECRET:access_token:0f1e2d3c]"}}),
    ("configure", {"password": "[REDACTED:password]", "note": "password: [REDACTED:password]"}),
    ("write_file", {"content": "-----BEGIN RSA PRIVATE KEY-----\n[SECRET:private_key:0a1b2c3d]\n[SECRET:private_key:4e5f6a7b]\n-----END RSA PRIVATE KEY-----\n"}),
    # keys that only look like key names
    ("db_query", {"cache_key": "user:42:profile", "partition_key": "tenant-7", "primary_key": "id", "sort_key": "created_at"}),
    ("s3_get", {"bucket": "logs", "key": "2024/05/app.log.gz", "object_key": "exports/q1-2024.csv"}),
    # flags that name a file, a port, or ask for a prompt
    ("run_shell", {"command": "mysql --password-file /etc/mysql/pw.txt shop"}),
    ("run_shell", {"command": "mysql --defaults-extra-file=/etc/my.cnf -h db -P 3306 -u root -p shop"}),
    ("run_shell", {"command": "docker run -d -p 8080:80 nginx"}),
    ("run_shell", {"command": "ssh -p 2222 deploy@bastion.example.com uptime"}),
    ("run_shell", {"command": "docker login -u bob --password-stdin registry.example.com"}),
    ("run_shell", {"command": "deployctl push --ssh-key ~/.ssh/deploy_ed25519 --host web1"}),
    ("run_shell", {"command": "aws ssm get-parameter --name /prod/api_key --with-decryption"}),
    ("run_shell", {"command": "aws configure get aws_secret_access_key"}),
    ("run_shell", {"command": "kubectl delete secret db-password --namespace staging"}),
    ("run_shell", {"command": "grep -rn api_key src/ tests/"}),
    ("run_shell", {"command": "curl -u bob https://api.example.com/v1/me"}),
    ("run_shell", {"command": "ldapsearch -x -H ldap://dc1 -b dc=acme,dc=org '(uid=alice)'"}),
    ("run_shell", {"command": "smbclient -L //fs01 -U svc_backup"}),
    ("run_shell", {"command": "openssl req -new -key server.key -passin env:KEY_PASS -out server.csr"}),
    ("run_shell", {"command": "zip -r -q export.zip reports/ && unzip -l export.zip"}),
    ("run_shell", {"command": "htpasswd -c /etc/nginx/.htpasswd alice"}),
    # prose and parameters that only mention a secret
    ("send_message", {"text": "Please rotate the api_key before Friday; the secret_key setting is missing."}),
    ("http_get", {"url": "https://example.com/search?q=token+limits&page_token=CiAKGjBpNDd2Nmp2Zml2cXRw"}),
    ("http_post", {"body": "grant_type=password&scope=openid"}),
    ("send_message", {"text": "The secret_key setting: see the vault. Use --token-file /run/secrets/t"}),
    ("add_note", {"text": "remember the client_secret rotation-2024 ticket and the api_key q3-plan"}),
    ("http_get", {"url": "https://example.com/docs?topic=sig&design=signatures"}),
    # an `auth` that is no login: a scheme's name, base64 of no `user:secret`
    ("configure", {"auth": "oauth2", "mode": "basic"}),
    ("write_file", {"content": '{"auth": "aGVsbG8gd29ybGQgd2l0aG91dCBjb2xvbg=="}'}),
    ("send_message", {"text": "The default machine has no password set; login with SSO."}),
    # colon-separated lines that are no `.pgpass` entry: a wildcard password, times, an address
    ("write_file", {"path": "/home/dev/.pgpass", "content": "db.internal:5432:shop:app:*\n"}),
    ("send_message", {"text": "uptime 10:20:30:40:50 and mac 00:1a:2b:3c:4d:5e"}),
    ("get_device_info", {"mac": "3c:22:fb:8a:19:04", "line": "3c:22:fb:8a:19:04\n"}),
    ("send_message", {"text": "see https://discord.com/channels/1187654321098765432/1187654321098765433"}),
]  # fmt: skip


@pytest.mark.parametrize(
    ("action", "data"), NEGATIVES, ids=[f"n{i}" for i in range(len(NEGATIVES))]
)
def test_secret_shape_hard_negatives(action: str, data: dict[str, Any]) -> None:
    out = classify("agent", action, data)
    assert out.found_secrets() == (), out.found_secrets()
    assert out.secret_fields == []


def test_the_masked_form_is_never_found_again_in_context_or_reasoning() -> None:
    assert find_secrets({"aws_secret_access_key": MASKED, "cmd": f"token {MASKED}"}) == []
    assert find_secrets(f"log in with password: {MASKED} then api_key={MASKED}") == []
