"""API tokens moved from DRF's authtoken (keys stored in plain text, never expiring) to
django-rest-knox (hashed, expiring, revocable): drop the old table and its migration records.
Holders of an old token ask POST /api/auth/token/ for a new one."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_notification_key_reminder_kinds")]

    operations = [
        migrations.RunSQL(
            ["DROP TABLE IF EXISTS authtoken_token",
             "DELETE FROM django_migrations WHERE app = 'authtoken'"],
            reverse_sql=migrations.RunSQL.noop,
        ),
    ]
