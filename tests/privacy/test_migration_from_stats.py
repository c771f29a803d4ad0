"""The vendor register and the saved audits moved from the stats app to the privacy app
without losing a row: a database at stats 0001 with a vendor and an audit in it migrates
forward, and the privacy app finds both in the same tables."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def _executor() -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    return executor


@pytest.mark.django_db(transaction=True)
def test_a_vendor_and_an_audit_survive_the_move():
    executor = _executor()
    executor.migrate([("privacy", None)])  # also unapplies stats 0002, which depends on it
    try:
        old = _executor().loader.project_state([("stats", "0001_initial")]).apps
        assert ("privacy", "vendor") not in {(m._meta.app_label, m._meta.model_name) for m in old.get_models()}
        vendor = old.get_model("stats", "Vendor").objects.create(name="E-books Inc", categories="circulation",
                                                                 clauses={"no_sale": True})
        audit = old.get_model("stats", "AuditRun").objects.create(created_by="privacy", data={"summary": {"x": 1}})

        executor = _executor()
        executor.migrate(executor.loader.graph.leaf_nodes())
        new = executor.loader.project_state(executor.loader.graph.leaf_nodes()).apps
        moved = new.get_model("privacy", "Vendor").objects.get(pk=vendor.pk)
        assert (moved.name, moved.categories, moved.clauses) == ("E-books Inc", "circulation", {"no_sale": True})
        run = new.get_model("privacy", "AuditRun").objects.get(pk=audit.pk)
        assert (run.created_by, run.data, run.state) == ("privacy", {"summary": {"x": 1}}, "done")
        with pytest.raises(LookupError):
            new.get_model("stats", "Vendor")

        from quietdesk.privacy.models import Vendor

        assert Vendor._meta.db_table == "stats_vendor"
        assert Vendor.objects.get(pk=vendor.pk).name == "E-books Inc"
    finally:
        executor = _executor()
        executor.migrate(executor.loader.graph.leaf_nodes())
