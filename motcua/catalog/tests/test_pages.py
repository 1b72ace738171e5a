from motcua.catalog import services
from motcua.org.models import Role


def test_catalog_list_search_and_filters(client, imported):
    page = client.get("/thu-tuc/").content.decode()
    assert "83 thủ tục đang áp dụng" in page
    found = client.get("/thu-tuc/", {"q": "giay khai sinh"}).content.decode()
    assert found.index("1.001193") < found.index("1.004884")
    filtered = client.get("/thu-tuc/", {"field": "chung-thuc"}).content.decode()
    assert "2.001019" in filtered and "1.001193" not in filtered
    assert "<script" not in page and 'style="' not in page


def test_procedure_page_is_complete_and_links_to_online_filing(client, imported):
    birth = services.update_procedure(
        services.Procedure.objects.get(code="1.001193"), actor="test", online_level="full"
    )
    page = client.get(birth.get_absolute_url()).content.decode()
    for text in (
        "Thủ tục đăng ký khai sinh",
        "Giấy chứng sinh",
        "Giấy tờ phải xuất trình",
        "Miễn phí",
        "123/2015/NĐ-CP",
        "Nộp trực tuyến",
        "/nop-ho-so/1.001193/",
        "163/QĐ-BTP",
    ):
        assert text in page, text
    offline = client.get("/thu-tuc/1.003583/").content.decode()  # mobile registration: not online
    assert "/nop-ho-so/" not in offline
    assert client.get("/thu-tuc/1.001193.000.00.00.H29/").status_code == 301
    assert client.get("/thu-tuc/7.777777/").status_code == 404


def test_staff_catalog_page_lists_procedures_to_review(client, imported, make_staff, ward_a, citizen):
    assert client.get("/staff/catalog/").status_code == 302
    client.force_login(citizen)
    assert client.get("/staff/catalog/").status_code == 403
    client.force_login(make_staff(Role.DESK_OFFICER, ward_a))
    page = client.get("/staff/catalog/").content.decode()
    assert "Thủ tục cần rà soát dữ liệu" in page and "1.001193" in page
