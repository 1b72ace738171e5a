from motcua.catalog import selectors, services

FORM = [
    [1, "child_name", "Họ tên trẻ", "person", True, "[]", "", "", "subject", 10],
    [2, "child_dob", "Ngày sinh", "date", True, "[]", "", "", "subject", None],
    [3, "sex", "Giới tính", "choice", True, '["Nam", "Nữ"]', "", "", "subject", None],
    [4, "mother_id", "Số định danh của mẹ", "personal_id", True, "[]", "", "personal_id", "mother", None],
    [5, "weight", "Cân nặng", "number", False, "[]", "", "", "subject", None],
    [6, "scan", "Giấy chứng sinh", "attachment", True, "[]", "", "", "applicant", None],
]


def test_declaration_fields_validate_values(make_procedure):
    procedure = make_procedure(form_fields=FORM)
    fields = list(selectors.form_fields(procedure))
    assert [f.key for f in fields] == ["child_name", "child_dob", "sex", "mother_id", "weight", "scan"]
    assert fields[3].registry_field == "personal_id" and fields[3].registry_subject == "mother"
    good = {"child_name": "Lê An", "child_dob": "2026-02-01", "sex": "Nữ", "mother_id": "079190001234"}
    assert selectors.validate_declaration(procedure, good) == {}
    errors = selectors.validate_declaration(
        procedure,
        {
            "child_name": "Nguyễn Thị Bé Bảo An",
            "child_dob": "31/02/2026",  # dd/mm/yyyy is how people type it; an impossible day is not
            "sex": "Khác",
            "mother_id": "12345",
            "weight": "ba ký",
        },
    )
    assert set(errors) == {"child_name", "child_dob", "sex", "mother_id", "weight"}
    assert errors["sex"] == "“Giới tính” phải là một trong các lựa chọn: Nam, Nữ."
    assert "bắt buộc" in selectors.validate_declaration(procedure, {})["child_name"]


def test_form_fields_are_served_by_the_api(client, make_procedure):
    make_procedure("9.200001", form_fields=FORM)
    body = client.get("/api/v1/procedures/9.200001").json()
    assert body["form_fields"][2] == {
        "key": "sex",
        "label": "Giới tính",
        "type": "choice",
        "required": True,
        "choices": ["Nam", "Nữ"],
        "help_text": "",
        "registry_field": None,
        "registry_subject": "subject",
    }


def test_editing_a_form_is_audited(make_procedure):
    from motcua.core.models import AuditEntry

    procedure = make_procedure(form_fields=FORM)
    services.update_procedure(procedure, actor="test", form_fields=FORM[:2])
    entry = AuditEntry.objects.filter(action="catalog.procedure_updated", object_id=str(procedure.pk)).last()
    assert len(entry.before["form_fields"]) == 6 and len(entry.after["form_fields"]) == 2


def test_declaration_as_a_django_form(make_procedure):
    from motcua.catalog.forms import declaration_form

    Form = declaration_form(make_procedure(form_fields=FORM))
    form = Form(
        data={"child_name": "Lê An", "child_dob": "2026-02-01", "sex": "Nam", "mother_id": "079190001234"}
    )
    assert not form.is_valid()
    assert list(form.errors) == ["scan"]  # the attachment is required
    bad = Form(data={"child_name": "Lê An", "child_dob": "x", "sex": "Khác", "mother_id": "12"})
    assert {"child_dob", "sex", "mother_id"} <= set(bad.errors)
    html = str(Form()["mother_id"])
    assert 'data-registry-field="personal_id"' in html and 'data-registry-subject="mother"' in html
