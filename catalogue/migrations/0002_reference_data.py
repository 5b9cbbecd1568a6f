from django.db import migrations

from catalogue import reference_data


def load(apps, schema_editor):
    reference_data.load_admin_units(apps.get_model("catalogue", "Province"), apps.get_model("catalogue", "Commune"))
    reference_data.load_taxonomy(apps.get_model("catalogue", "OcopCategory"))
    reference_data.load_quality_marks(apps.get_model("catalogue", "QualityMark"))


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
