"""On PostgreSQL, the database itself refuses a commit after which a unit's balances do
not sum to zero (double entry). The check is a deferred constraint trigger, so it runs at
commit, once per unit per transaction (a transaction-local marker skips repeats), after all
the accounts a batch touches are updated. SQLite has no deferred triggers: there the
service's rules and ``minga ledger verify`` keep the invariant.
"""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION exchange_unit_balances_sum_to_zero() RETURNS trigger AS $$
DECLARE
    marker text := 'minga.unit_sum_checked_' || NEW.unit_id;
BEGIN
    IF current_setting(marker, true) = txid_current()::text THEN
        RETURN NULL;
    END IF;
    PERFORM set_config(marker, txid_current()::text, true);
    IF (SELECT COALESCE(SUM(balance), 0) FROM exchange_account WHERE unit_id = NEW.unit_id) <> 0 THEN
        RAISE EXCEPTION 'the balances of unit % do not sum to zero', NEW.unit_id
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE CONSTRAINT TRIGGER exchange_account_unit_sum_zero
    AFTER INSERT OR UPDATE OF balance ON exchange_account
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION exchange_unit_balances_sum_to_zero();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS exchange_account_unit_sum_zero ON exchange_account;
DROP FUNCTION IF EXISTS exchange_unit_balances_sum_to_zero();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("exchange", "0003_agreements_obligations_and_rounds")]

    operations = [migrations.RunPython(forward, backward)]
