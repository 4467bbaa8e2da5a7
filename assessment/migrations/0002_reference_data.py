from django.db import migrations

from assessment.reference_data import load_reference_data


def forwards(apps, schema_editor):
    load_reference_data(
        apps.get_model("assessment", "Region"),
        apps.get_model("assessment", "Industry"),
        apps.get_model("assessment", "Target"),
    )


class Migration(migrations.Migration):
    dependencies = [("assessment", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
