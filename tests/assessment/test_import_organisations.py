import pytest
from django.core.management import CommandError, call_command

from assessment.models import Organisation
from tests.factories import OrganisationFactory, credit_code

pytestmark = pytest.mark.django_db


def write_csv(tmp_path, *rows):
    path = tmp_path / "organisations.csv"
    path.write_text("credit_code,name,region_code\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_valid_file_registers_every_organisation(tmp_path, capsys):
    path = write_csv(tmp_path, f"{credit_code(1)},甲公司,440300", f"{credit_code(2)},乙公司,320500")
    call_command("import_organisations", str(path))
    assert Organisation.objects.count() == 2
    assert "Registered 2" in capsys.readouterr().out


def test_every_problem_is_reported_and_nothing_is_created(tmp_path):
    bad_check = credit_code(3)[:17] + ("0" if credit_code(3)[17] != "0" else "1")
    path = write_csv(
        tmp_path,
        f"{credit_code(1)},甲公司,440300",
        f"{bad_check},乙公司,440300",
        f"{credit_code(4)},丙公司,999999",
        f"{credit_code(1)},丁公司,440300",
    )
    with pytest.raises(CommandError) as refused:
        call_command("import_organisations", str(path))
    message = str(refused.value)
    assert "line 3, credit_code: The check digit" in message
    assert "line 4, region_code: '999999' is not a GB/T 2260 code" in message
    assert "line 5, credit_code: repeats the code on line 2" in message
    assert Organisation.objects.count() == 0


def test_an_already_registered_code_is_refused(tmp_path):
    existing = OrganisationFactory(name="已登记公司")
    path = write_csv(tmp_path, f"{existing.credit_code},重复公司,440300")
    with pytest.raises(CommandError, match="already registered as 已登记公司"):
        call_command("import_organisations", str(path))
    assert Organisation.objects.count() == 1


def test_missing_columns_are_named(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("code,name\n1,x\n", encoding="utf-8")
    with pytest.raises(CommandError, match="credit_code: column missing"):
        call_command("import_organisations", str(path))


def test_duplicate_organisation_in_the_admin_gets_a_translated_error(client):
    from tests.factories import admin

    existing = OrganisationFactory()
    client.force_login(admin())
    response = client.post(
        "/admin/assessment/organisation/add/",
        {"credit_code": existing.credit_code, "name": "新公司", "region": "440300"},
    )
    assert response.status_code == 200
    assert Organisation.objects.count() == 1
    assert "统一社会信用代码" in response.content.decode()
