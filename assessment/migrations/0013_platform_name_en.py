from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("assessment", "0012_api_tokens_all_expire")]

    operations = [
        migrations.AddField(
            model_name="platform",
            name="name_en",
            field=models.CharField(
                blank=True,
                help_text=(
                    "Printed on English reports and certificates; leave blank to print the name."
                ),
                max_length=200,
                verbose_name="English name",
            ),
        ),
    ]
