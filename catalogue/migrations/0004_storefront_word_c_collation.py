"""Search words are compared as bytes on PostgreSQL.

The word index is scanned by prefix range (`word >= 'che' AND word < 'chf'`). Under a
linguistic collation (ICU, glibc) punctuation sorts before digits and letters, so the range
end for a prefix ending in 9 or z (`'…:'`, `'…{'`) would come *before* the words it should
include. The C collation orders by code point, as SQLite's BINARY does.
"""

from django.db import migrations


def use_c_collation(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            'ALTER TABLE catalogue_storefrontword ALTER COLUMN word TYPE varchar(40) COLLATE "C"'
        )


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0003_storefront")]

    operations = [migrations.RunPython(use_c_collation, migrations.RunPython.noop)]
