"""A client merge moves the merged record's cases to the survivor, and undo brings them back."""

from casework.auth.models import Role
from casework.clients import merging


def test_merge_moves_cases_and_moves_their_version(new_case, new_client, staff):
    supervisor = staff(Role.SUPERVISOR)
    survivor = new_client(full_name="Siti Rahmawati", birth_year=1990)
    merged = new_client(full_name="Siti Rahmawaty", birth_year=1990)
    case = new_case(client=merged)
    before = case.version
    merge = merging.merge_clients(survivor, merged, supervisor, "Orang yang sama", (survivor.version, merged.version))
    case_file = merging.referencing_columns()
    assert any(column.table.name == "case_file" for column in case_file)
    assert merge.moved["case_file.client_id"] == [case.id]
    assert (case.client_id, case.version) == (survivor.id, before + 1)
    merging.undo_merge(merge, supervisor, "Ternyata orang berbeda")
    assert (case.client_id, case.version) == (merged.id, before + 2)
