"""Replace every plain-text staff API token (DRF authtoken) by its hash (reporter.api.tokens).

Existing tokens keep working: clients send the same token, which is now hashed before the
lookup. Not reversible: a hash cannot be turned back into the token, so the reverse step
does nothing (tokens stay hashed; after a rollback of the code they must be issued anew).
"""
import hashlib

from django.db import migrations


def _digest(raw: str) -> str:
    # Frozen copy of reporter.api.tokens.token_digest: a migration must not change with the code.
    return hashlib.blake2b(raw.encode(), digest_size=20).hexdigest()


def hash_tokens(apps, schema_editor):
    Token = apps.get_model("authtoken", "Token")
    for token in list(Token.objects.all()):
        created, user_id, raw = token.created, token.user_id, token.key
        token.delete()  # the key is the primary key: a new row replaces the old one
        Token.objects.create(key=_digest(raw), user_id=user_id)
        Token.objects.filter(key=_digest(raw)).update(created=created)  # `created` is auto_now_add


class Migration(migrations.Migration):
    dependencies = [
        ("reporter", "0007_add_public_report_views"),
        ("authtoken", "0004_alter_tokenproxy_options"),
    ]

    operations = [migrations.RunPython(hash_tokens, migrations.RunPython.noop)]
